"""Contact loaders."""

from gql.core.loaders import ByIdLoader
from gql.domains.contacts.models import Contact


class ContactByIdLoader(ByIdLoader[Contact]):
    model = Contact
