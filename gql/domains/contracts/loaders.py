"""Contracts loaders: contracts, proposals, a proposal's sections, and the proposal a
contract was made from."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader, OneByForeignKeyLoader
from gql.domains.contracts.models import Contract, Proposal, ProposalSection


class ContractByIdLoader(ByIdLoader[Contract]):
    model = Contract


class ProposalByIdLoader(ByIdLoader[Proposal]):
    model = Proposal


class ProposalSectionByIdLoader(ByIdLoader[ProposalSection]):
    model = ProposalSection


class SectionsByProposalIdLoader(ByForeignKeyLoader[ProposalSection]):
    """Proposal.sections, in their order."""

    model = ProposalSection
    foreign_key = "proposal_id"
    order_by = ("position", "id")


class ProposalByContractIdLoader(OneByForeignKeyLoader[Proposal]):
    """Contract.proposal: the accepted proposal that created the contract."""

    model = Proposal
    foreign_key = "contract_id"
