from __future__ import annotations

from dataclasses import dataclass, field

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.response import Stream

from backend.domain.accounts.identity import Principal
from backend.domain.structures import organisation
from backend.domain.structures import schemas as S
from backend.domain.structures import services as mandate
from backend.domain.structures import structure_files
from backend.domain.structures.permissions import Action, allowed_structures, structures_for
from backend.domain.structures.schemas import Mandate, MandateCreate, MandateView, StructureRef
from backend.infra.openapi import binary_upload, file_response
from backend.infra.request_body import UPLOAD_BODY_LIMIT, request_chunks
from backend.infra.uploads import stored_download
from backend.infra.schemas import UNSET, Status, Unset, shape
from shared.applications import Application, Level


class MandateController(Controller):
    path = "/api/structures/{structure_id:int}/mandate"
    tags = ["structures"]

    @get("/", operation_id="mandate")
    async def get_mandate(self, principal: Principal, structure_id: int) -> MandateView:
        form = await mandate.mandate_form(principal, structure_id)
        return shape({"active": await mandate.active_mandate(structure_id), "prefill": form}, MandateView)

    @post("/", operation_id="subscribeMandate", status_code=201)
    async def subscribe(self, principal: Principal, structure_id: int, data: MandateCreate) -> Mandate:
        return shape(await mandate.subscribe(principal, structure_id, name=data.name, signed_name=data.signed_name,
                                             accept_terms=data.accept_terms), Mandate)

    @delete("/", operation_id="revokeMandate", status_code=200)
    async def revoke(self, principal: Principal, structure_id: int) -> Status:
        await mandate.revoke(principal, structure_id)
        return Status(status="revoque")


class MyStructuresController(Controller):
    path = "/api/me/structures"
    tags = ["structures"]

    @get("/", operation_id="myStructures")
    async def mine(self, principal: Principal, application: Application, level: Level = Level.CONSULTATION) -> list[StructureRef]:
        """The structures the user may act on in an application (factures_emises…), at least at `level`."""
        return shape(await structures_for(principal, application, level), list[StructureRef])

    @get("/allowed", operation_id="myStructuresAllowing")
    async def allowing(self, principal: Principal, action: Action) -> list[StructureRef]:
        """The structures on which the policy allows `action` (deposit, edit_draft…): what the screens offer."""
        return shape(await allowed_structures(principal, action), list[StructureRef])


# Organisation (the guide's « Activités du gestionnaire ») -------------------------------------------------

@dataclass
class AttachmentAsk:
    structure_id: int
    comment: str
    service_ids: list[int] = field(default_factory=list)


@dataclass
class Approval:
    profiles: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Refusal:
    reason: str


@dataclass
class ProfilesForm:
    profiles: dict[str, str | None]
    service_id: int | None = None  # the levels one of the user's services gives (a service-level rattachement)


@dataclass
class Detachment:
    comment: str
    service_id: int | None = None


@dataclass
class DirectAttachment:
    email: str
    service_ids: list[int] = field(default_factory=list)
    profiles: dict[str, str | None] = field(default_factory=dict)
    first_name: str = ""
    last_name: str = ""


@dataclass
class HandOver:
    user_id: int


@dataclass
class WorkspaceSwitch:
    active: bool


class OrganisationController(Controller):
    tags = ["organisation"]

    @get("/api/organisation/structures", operation_id="managedStructures")
    async def managed(self, principal: Principal) -> list[S.ManagedStructure]:
        return shape(await organisation.managed_structures(principal), list[S.ManagedStructure])

    @get("/api/organisation/structures/{structure_id:int}/requests", operation_id="attachmentRequests")
    async def requests(self, principal: Principal, structure_id: int) -> list[S.PendingRequest]:
        return shape(await organisation.pending(principal, structure_id), list[S.PendingRequest])

    @post("/api/organisation/requests/{request_id:int}/approve", operation_id="approveAttachment", status_code=200)
    async def approve(self, principal: Principal, request_id: int, data: Approval) -> Status:
        await organisation.approve(principal, request_id, data.profiles)
        return Status(status="approuve")

    @post("/api/organisation/requests/{request_id:int}/refuse", operation_id="refuseAttachment", status_code=200)
    async def refuse(self, principal: Principal, request_id: int, data: Refusal) -> Status:
        await organisation.refuse(principal, request_id, data.reason)
        return Status(status="refuse")

    @get("/api/organisation/structures/{structure_id:int}/users", operation_id="structureUsers")
    async def users(self, principal: Principal, structure_id: int, q: str = "") -> list[S.OrganisationUser]:
        return shape(await organisation.users(principal, structure_id, q), list[S.OrganisationUser])

    @post("/api/organisation/structures/{structure_id:int}/users/{user_id:int}/profiles", operation_id="setProfiles",
          status_code=200)
    async def set_profiles(self, principal: Principal, structure_id: int, user_id: int, data: ProfilesForm) -> Status:
        await organisation.set_profiles(principal, structure_id, user_id, data.profiles, service_id=data.service_id)
        return Status(status="modifie")

    @post("/api/organisation/structures/{structure_id:int}/users/{user_id:int}/detach", operation_id="detachUser", status_code=200)
    async def detach(self, principal: Principal, structure_id: int, user_id: int, data: Detachment) -> Status:
        await organisation.detach(principal, structure_id, user_id, service_id=data.service_id, comment=data.comment)
        return Status(status="detache")

    @post("/api/organisation/structures/{structure_id:int}/users", operation_id="attachUser", status_code=201)
    async def attach_user(self, principal: Principal, structure_id: int, data: DirectAttachment) -> S.AttachOutcome:
        return shape(await organisation.attach_user(principal, structure_id, email=data.email, service_ids=data.service_ids,
                                                    profiles=data.profiles, first_name=data.first_name, last_name=data.last_name),
                     S.AttachOutcome)

    @post("/api/organisation/structures/{structure_id:int}/principal", operation_id="handOverPrincipal", status_code=200)
    async def hand_over(self, principal: Principal, structure_id: int, data: HandOver) -> Status:
        await organisation.hand_over(principal, structure_id, data.user_id)
        return Status(status="transmis")

    @get("/api/organisation/structures/{structure_id:int}/journal", operation_id="organisationJournal")
    async def journal(self, principal: Principal, structure_id: int) -> list[S.OrganisationEvent]:
        return shape(await organisation.journal(principal, structure_id), list[S.OrganisationEvent])

    @get("/api/me/navigation", operation_id="myNavigation")
    async def navigation(self, principal: Principal) -> list[str]:
        """The applications the navigation shows the user (a profile held, or the workspace switched on)."""
        return sorted(await organisation.navigation_applications(principal))

    @get("/api/organisation/lookup", operation_id="structureToJoin")
    async def structure_to_join(self, principal: Principal, siret: str) -> S.StructureToJoin | None:
        """The registered structure with this SIRET a user may ask to join, with its active services."""
        return shape(await organisation.structure_by_siret(siret), S.StructureToJoin | None)

    @get("/api/organisation/structures/{structure_id:int}/active-services", operation_id="servicesToJoin")
    async def services_to_join(self, principal: Principal, structure_id: int) -> list[S.ServiceToJoin]:
        return shape(await organisation.structure_services(structure_id), list[S.ServiceToJoin])

    @get("/api/me/attachments", operation_id="myAttachments")
    async def my_attachments(self, principal: Principal) -> list[S.MyAttachment]:
        return shape(await organisation.my_requests(principal), list[S.MyAttachment])

    @post("/api/me/attachments", operation_id="askAttachment", status_code=201)
    async def ask(self, principal: Principal, data: AttachmentAsk) -> S.AskOutcome:
        ids = await organisation.ask(principal, data.structure_id, service_ids=data.service_ids, comment=data.comment)
        return S.AskOutcome(ids=ids, status="demande")

    @post("/api/me/workspaces/{application:str}", operation_id="switchWorkspace", status_code=200)
    async def switch_workspace(self, principal: Principal, application: str, data: WorkspaceSwitch) -> S.WorkspaceState:
        await organisation.switch_workspace(principal, application, data.active)
        return S.WorkspaceState(application=application, active=data.active)


class StructureChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The fields « Gérer une structure » may change; those left out stay as they are."""

    libelle: str | None | Unset = UNSET
    address: str | Unset = UNSET
    complement1: str | None | Unset = UNSET
    complement2: str | None | Unset = UNSET
    postcode: str | Unset = UNSET
    city: str | Unset = UNSET
    requires_engagement: bool | Unset = UNSET
    requires_service_code: bool | Unset = UNSET


@dataclass
class ServiceForm:
    code: str
    libelle: str
    requires_engagement: bool = False


@dataclass
class ServiceChange:
    libelle: str | None = None
    requires_engagement: bool | None = None
    active: bool | None = None


class StructureManagementController(Controller):
    """« Gérer une structure » and « Gérer un service »."""

    path = "/api/organisation/structures/{structure_id:int}"
    tags = ["organisation"]

    @get("/", operation_id="structureDetails")
    async def details(self, principal: Principal, structure_id: int) -> S.StructureDetails:
        return shape(await organisation.structure_details(principal, structure_id), S.StructureDetails)

    @patch("/", operation_id="updateStructure")
    async def update(self, principal: Principal, structure_id: int, data: StructureChange) -> S.StructureDetails:
        changes = {name: getattr(data, name) for name in data.__struct_fields__ if getattr(data, name) is not UNSET}
        return shape(await organisation.update_structure(principal, structure_id, changes), S.StructureDetails)

    @get("/users/export", operation_id="exportStructureUsers",
         responses=file_response("The users as CSV or XLSX (« Exporter »).", "application/octet-stream"))
    async def export_users(self, principal: Principal, structure_id: int, format: str = "csv", q: str = "",
                           user_id: int | None = None) -> Response[bytes]:
        content, name = await organisation.export_users(principal, structure_id, format, search=q, user_id=user_id)
        media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @get("/services", operation_id="organisationServices")
    async def list_services(self, principal: Principal, structure_id: int) -> list[S.Service]:
        return shape(await organisation.services(principal, structure_id), list[S.Service])

    @post("/services", operation_id="createService", status_code=201)
    async def create_service(self, principal: Principal, structure_id: int, data: ServiceForm) -> S.Service:
        return shape(await organisation.create_service(principal, structure_id, code=data.code, libelle=data.libelle,
                                                       requires_engagement=data.requires_engagement), S.Service)

    @patch("/services/{service_id:int}", operation_id="updateService")
    async def update_service(self, principal: Principal, structure_id: int, service_id: int, data: ServiceChange) -> S.Service:
        return shape(await organisation.update_service(principal, structure_id, service_id, libelle=data.libelle,
                                                       requires_engagement=data.requires_engagement, active=data.active), S.Service)


class StructureFilesController(Controller):
    """A structure's pièces-jointes (« Créer / Télécharger une pièce-jointe »), not its rattachements."""

    path = "/api/organisation/structures/{structure_id:int}/files"
    tags = ["organisation"]

    @get("/", operation_id="structureFiles")
    async def list_files(self, principal: Principal, structure_id: int) -> list[S.StructureFile]:
        return shape(await structure_files.files(principal, structure_id), list[S.StructureFile])

    @post("/", operation_id="addStructureFile", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT,
          opt=binary_upload("The pièce-jointe (BMP, PNG, XML, CSV, TIF, PDF), 30 MB at most."))
    async def add(self, request: Request, principal: Principal, structure_id: int, name: str = "",
                  designation: str = "") -> S.StructureFile:
        """The raw file as the request body (`?name=` its file name, `?designation=` its label, the name by
        default). 413 past 30 MB, 415 for a refused type."""
        return shape(await structure_files.add_file(principal, structure_id, request_chunks(request),
                                                    content_length=request.content_length, name=name, designation=designation),
                     S.StructureFile)

    @get("/{file_id:int}", operation_id="downloadStructureFile",
         responses=file_response("The pièce-jointe as uploaded.", "application/octet-stream"))
    async def download(self, principal: Principal, structure_id: int, file_id: int) -> Stream:
        row = await structure_files.file_for_download(principal, structure_id, file_id)
        return stored_download(row.storage_key, content_type=row.content_type, name=row.original_name, size=row.size)

    @delete("/{file_id:int}", operation_id="deleteStructureFile", status_code=200)
    async def remove(self, principal: Principal, structure_id: int, file_id: int) -> Status:
        await structure_files.delete_file(principal, structure_id, file_id)
        return Status(status="supprime")
