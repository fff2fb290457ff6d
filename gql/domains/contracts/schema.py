"""Query and Mutation fields of contracts and proposals (module: contracts)."""

from __future__ import annotations

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.contracts import service
from gql.domains.contracts.models import Contract, Proposal
from gql.domains.contracts.types import (
    MODULE,
    ContractConnection,
    ContractCreateInput,
    ContractDeleteInput,
    ContractDeletePayload,
    ContractFilter,
    ContractNode,
    ContractOrder,
    ContractPayload,
    ContractSignInput,
    ContractTerminateInput,
    ContractUpdateInput,
    ProposalAcceptInput,
    ProposalConnection,
    ProposalCreateInput,
    ProposalDeletePayload,
    ProposalFilter,
    ProposalIdInput,
    ProposalNode,
    ProposalOrder,
    ProposalPayload,
    ProposalUpdateInput,
    contract_filter_of,
    contract_order_of,
    proposal_filter_of,
    proposal_order_of,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

CONTRACTS = RootConnection(
    Contract, contract_filter_of, contract_order_of, service.CONTRACT_ORDER_COLUMNS
)
PROPOSALS = RootConnection(
    Proposal, proposal_filter_of, proposal_order_of, service.PROPOSAL_ORDER_COLUMNS
)


@strawberry.type
class Query:
    contract: ContractNode | None = root_get(
        Contract,
        "Contract",
        permission_classes=READ,
        description="A contract by id; null with NOT_FOUND when there is none.",
    )

    contracts: ContractConnection = root_connection(
        CONTRACTS,
        ContractConnection,
        filter=ContractFilter,
        order=ContractOrder,
        permission_classes=READ,
        description="The company's contracts, newest first unless ordered otherwise.",
    )

    proposal: ProposalNode | None = root_get(
        Proposal,
        "Proposal",
        permission_classes=READ,
        description="A proposal by id; null with NOT_FOUND when there is none.",
    )

    proposals: ProposalConnection = root_connection(
        PROPOSALS,
        ProposalConnection,
        filter=ProposalFilter,
        order=ProposalOrder,
        permission_classes=READ,
        description="The company's proposals, newest first unless ordered otherwise.",
    )


@strawberry.type
class Mutation:
    contract_create = mutation(
        input=ContractCreateInput,
        payload=ContractPayload,
        field="contract",
        run=service.create_contract,
        permission=WRITE,
        description="Write a draft contract with a contact.",
    )

    contract_update = mutation(
        input=ContractUpdateInput,
        payload=ContractPayload,
        field="contract",
        run=service.update_contract,
        permission=WRITE,
        description="Change a draft contract; a signed or terminated one is refused "
        "(INVALID_STATE).",
    )

    contract_sign = mutation(
        input=ContractSignInput,
        payload=ContractPayload,
        field="contract",
        run=service.sign_contract,
        permission=WRITE,
        description="Sign a draft contract: it is active from its start date to its end date. "
        "A contract whose end date has passed cannot be signed.",
    )

    contract_terminate = mutation(
        input=ContractTerminateInput,
        payload=ContractPayload,
        field="contract",
        run=service.terminate_contract,
        permission=WRITE,
        description="End a signed contract now. A draft (delete it), an expired or an already "
        "terminated contract is refused.",
    )

    contract_delete = mutation(
        input=ContractDeleteInput,
        payload=ContractDeletePayload,
        field="deleted_contract_id",
        returns="deleted_id",
        run=service.delete_contract,
        permission=WRITE,
        description="Delete a draft contract; a signed one stays on record (terminate it).",
    )

    proposal_create = mutation(
        input=ProposalCreateInput,
        payload=ProposalPayload,
        field="proposal",
        run=service.create_proposal,
        permission=WRITE,
        description="Write a draft proposal with its sections.",
    )

    proposal_update = mutation(
        input=ProposalUpdateInput,
        payload=ProposalPayload,
        field="proposal",
        run=service.update_proposal,
        permission=WRITE,
        description="Change a draft proposal; sections sent replace the old ones.",
    )

    proposal_send = mutation(
        input=ProposalIdInput,
        payload=ProposalPayload,
        field="proposal",
        run=service.send_proposal,
        permission=WRITE,
        description="Mark a draft proposal with at least one section as sent.",
    )

    proposal_accept = mutation(
        input=ProposalAcceptInput,
        payload=ProposalPayload,
        field="proposal",
        run=service.accept_proposal,
        permission=WRITE,
        description="Record a sent proposal's acceptance; with `contract`, its draft contract "
        "is made in the same transaction (once, however many accepts arrive at once).",
    )

    proposal_decline = mutation(
        input=ProposalIdInput,
        payload=ProposalPayload,
        field="proposal",
        run=service.decline_proposal,
        permission=WRITE,
        description="Record that the contact declined a sent proposal.",
    )

    proposal_delete = mutation(
        input=ProposalIdInput,
        payload=ProposalDeletePayload,
        field="deleted_proposal_id",
        returns="deleted_id",
        run=service.delete_proposal,
        permission=WRITE,
        description="Delete a proposal that was not accepted, with its sections.",
    )
