"""The PISTE routes (Chorus Pro's API, same paths and JSON) and the OAuth2 token route.

No cookie is read here: every call carries `Authorization: Bearer <token>` and `cpro-account:
base64(login:password)`, so these paths are outside the browser's cross-site protection
(backend/infra/security.py). Errors answer in Chorus Pro's shape (`codeRetour`, `libelle`), with
Chorale's `code` and French / English messages beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example, OpenAPIMediaType, OpenAPIResponse, Operation, SecurityScheme
from litestar.params import Body

from backend.domain.connections import piste, services
from backend.domain.connections import piste_schemas as js
from backend.domain.connections.rules import Scope
from backend.domain.connections.services import PisteError, piste_body
from backend.infra.errors import _HTTP_CODES, ChoraleError, lang_of
from backend.infra.openapi import ERROR_REF, SECURITY_SCHEMES
from backend.infra.schemas import shape

FLOW_BODY_LIMIT = 45 * 1024 * 1024  # a 30 MB file in base64, and the JSON around it
SECURITY = [{"BearerPiste": [], "CproAccount": []}]
SECURITY_SCHEMES.update({
    "BearerPiste": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT",
                                  description="Jeton OAuth2 (client credentials) de POST /api/oauth/token, valable 3600 s."),
    "CproAccount": SecurityScheme(type="apiKey", name="cpro-account", security_scheme_in="header",
                                  description="base64(login:mot de passe) du compte technique."),
})


def _piste_error(request: Request, exc: Exception) -> Response:
    """Every failure of these routes in Chorus Pro's shape, whatever raised it."""
    lang = lang_of(request)
    if isinstance(exc, PisteError):
        body, status, headers = exc.body(lang), exc.status_code, exc.headers
    elif isinstance(exc, ChoraleError):
        body, status, headers = piste_body(exc, lang), exc.status_code, exc.headers
    elif isinstance(exc, HTTPException):
        status = exc.status_code
        error = ChoraleError(_HTTP_CODES.get(exc.status_code, "erreur"), status_code=status)
        if isinstance(exc, ValidationException):
            error = ChoraleError("donnees_invalides", status_code=status)
        body, headers = piste_body(error, lang), None
    else:
        raise exc
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


EXCEPTION_HANDLERS = {ChoraleError: _piste_error, HTTPException: _piste_error}


Handler = Callable[[services.Caller, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _authenticated(request: Request, scope: Scope | None) -> services.Caller:
    return await services.authenticate(request.headers.get("authorization"), request.headers.get("cpro-account"), scope,
                                       path=request.url.path)


async def _call(request: Request, scope: Scope, handler: Handler, body: Any = None, *, journal: bool = False,
                idempotent: bool = False) -> dict[str, Any]:
    caller = await _authenticated(request, scope)
    # Nested shapes (soumettre's destinataire, montantTotal…) become plain dicts too, as the use cases read them.
    data = msgspec.to_builtins(body) if isinstance(body, msgspec.Struct) else dict(body or {})
    key = request.headers.get("idempotency-key") if idempotent else None
    raw = msgspec.json.encode(data)
    if (earlier := await services.remembered(caller, key, raw)) is not None:
        return earlier
    answer = await handler(caller, data)
    await services.remember(caller, key, raw, answer)
    if journal:
        await services.journal_call(caller, request.url.path, {"numeroFluxDepot": answer.get("numeroFluxDepot")}
                                    if answer.get("numeroFluxDepot") else None)
    return answer


# The errors every PISTE route documents, in Chorus Pro's shape (Chorale's ErrorBody, codeRetour and libelle
# beside it), each with an example answer.
_PISTE_ERRORS = {
    400: ("donnees_invalides", "Invalid request: a field of the wrong type, missing, or out of its values."),
    401: ("jeton_invalide", "A missing, wrong or expired token, or a wrong `cpro-account`."),
    403: ("structure_non_autorisee", "A scope the client lacks, or a structure (or its invoice) the call does not act for."),
    404: ("flux_introuvable", "Not found for this account."),
    409: ("cle_idempotence_reutilisee", "Conflict with the current state (an invoice in another status, a reused key)."),
    413: ("telechargement_trop_volumineux", "The body or the files asked for are too large."),
    415: ("type_refuse", "Refused file type (read from the content)."),
    422: ("champ_invalide", "The invoice's data are refused by the checks of « Valider et envoyer » (`field` names it)."),
    429: ("trop_de_requetes", "Past the client's rate limit: wait `Retry-After` seconds."),
}


def _example(status: int, code: str) -> dict[str, Any]:
    error = PisteError(code, status_code=status, **{name: "…" for name in ("number", "scope", "max", "value", "values", "invoice",
                                                                           "status", "id", "name")})
    return error.body("fr")


@dataclass
class PisteOperation(Operation):
    """A PISTE route's operation: its errors documented in Chorus Pro's shape (document_routes in
    backend/infra/openapi.py gives Chorale's own routes theirs, and these keep their own security)."""

    def __post_init__(self) -> None:
        responses = dict(self.responses or {})
        for status, (code, description) in _PISTE_ERRORS.items():
            if self.operation_id == "oauthToken" and status != 429:
                continue  # the token route answers RFC 6749's body, but its rate limit Chorale's
            # Replaces Litestar's own 400 (`detail`, `status_code`): a PISTE route answers every refusal in its shape.
            responses[str(status)] = OpenAPIResponse(description=description, content={"application/json": OpenAPIMediaType(
                schema=ERROR_REF, examples={code: Example(value=_example(status, code))})})
        self.responses = responses


class OAuthController(Controller):
    path = "/api/oauth"
    tags = ["PISTE — OAuth2"]

    @post("/token", operation_id="oauthToken", status_code=200, security=[{}], responses={
        400: ResponseSpec(data_container=js.OAuthErreur, description="grant_type other than client_credentials (RFC 6749)."),
        401: ResponseSpec(data_container=js.OAuthErreur, description="Unknown or revoked client, or a wrong secret (RFC 6749)."),
    }, exception_handlers={
        ChoraleError: lambda request, exc: Response(content=exc.body(lang_of(request)), status_code=exc.status_code,
                                                    media_type=MediaType.JSON, headers=exc.headers)})
    async def token(self, data: Annotated[js.TokenForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> js.TokenReponse:
        """OAuth2 client credentials: `grant_type=client_credentials&client_id=…&client_secret=…&scope=openid`."""
        answer = await services.issue_token(grant_type=data.grant_type, client_id=data.client_id, client_secret=data.client_secret,
                                            scope=data.scope)
        return js.TokenReponse(**answer)


class PisteController(Controller):
    """Shared settings of the three PISTE controllers."""

    exception_handlers = EXCEPTION_HANDLERS
    security = SECURITY


class PisteTransversesController(PisteController):
    path = "/cpro/transverses/v1"
    tags = ["PISTE — transverses"]

    @get("/health-check", operation_id="pisteHealthCheck")
    async def health(self, request: Request) -> js.HealthCheckReponse:
        """Whether the API answers, for an authenticated caller (any scope)."""
        await _authenticated(request, None)
        return shape(piste.health_check(), js.HealthCheckReponse)

    @post("/health-check", operation_id="pisteHealthCheckPost", status_code=200)
    async def health_post(self, request: Request) -> js.HealthCheckReponse:
        """The same, for the clients that post it."""
        await _authenticated(request, None)
        return shape(piste.health_check(), js.HealthCheckReponse)

    @post("/consulterCR", operation_id="pisteConsulterCR", status_code=200)
    async def consulter_cr(self, request: Request, data: js.ConsulterCR) -> js.ConsulterCRReponse:
        return shape(await _call(request, Scope.SEARCH, piste.consult_report, data), js.ConsulterCRReponse)

    @post("/consulterCRDetaille", operation_id="pisteConsulterCRDetaille", status_code=200)
    async def consulter_cr_detaille(self, request: Request, data: js.ConsulterCR) -> js.ConsulterCRDetailleReponse:
        return shape(await _call(request, Scope.SEARCH, piste.consult_detailed_report, data), js.ConsulterCRDetailleReponse)

    @post("/consulter/information/siret", operation_id="pisteInformationSiret", status_code=200)
    async def siret(self, request: Request, data: js.InformationSiret) -> js.InformationSiretReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.siret_information, data), js.InformationSiretReponse)

    @post("/rechercher/destinataire", operation_id="pisteRechercherDestinataire", status_code=200)
    async def destinataire(self, request: Request, data: js.RechercherDestinataire) -> js.RechercherStructuresReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.search_recipient, data), js.RechercherStructuresReponse)

    @post("/recuperer/{name:path}", operation_id="pisteRecupererListe", status_code=200)
    async def reference(self, request: Request, name: str) -> js.ListeReferenceReponse:
        """Reference lists: cadrefacturation, etats/traitement, tauxtva, devises, pays, modereglements, motifs/…"""
        await _authenticated(request, Scope.DIRECTORY)
        return shape(piste.reference_list(name.strip("/")), js.ListeReferenceReponse)


class PisteStructuresController(PisteController):
    path = "/cpro/structures/v1"
    tags = ["PISTE — structures"]

    @post("/rechercher", operation_id="pisteRechercherStructures", status_code=200)
    async def rechercher(self, request: Request, data: js.RechercherStructures) -> js.RechercherStructuresReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.search_structures, data), js.RechercherStructuresReponse)

    @post("/rechercher/services", operation_id="pisteRechercherServices", status_code=200)
    async def services_(self, request: Request, data: js.RechercherServices) -> js.RechercherServicesReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.search_services, data), js.RechercherServicesReponse)

    @post("/consulter", operation_id="pisteConsulterStructure", status_code=200)
    async def consulter(self, request: Request, data: js.ConsulterStructure) -> js.ConsulterStructureReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.consult_structure, data), js.ConsulterStructureReponse)

    @post("/consulter/service", operation_id="pisteConsulterService", status_code=200)
    async def consulter_service(self, request: Request, data: js.ConsulterService) -> js.ConsulterServiceReponse:
        return shape(await _call(request, Scope.DIRECTORY, piste.consult_service, data), js.ConsulterServiceReponse)


class PisteFacturesController(PisteController):
    path = "/cpro/factures/v1"
    tags = ["PISTE — factures"]

    @post("/deposer/flux", operation_id="pisteDeposerFlux", status_code=200, request_max_body_size=FLOW_BODY_LIMIT)
    async def deposer_flux(self, request: Request, data: js.DeposerFlux) -> js.DeposerFluxReponse:
        """A UBL, CII or Factur-X file in base64; `Idempotency-Key` makes a repeated call answer the first
        answer again. Then consulterCR until etatCourantFlux is final (or a `flux.integre` webhook)."""
        return shape(await _call(request, Scope.DEPOSIT, piste.deposit_flow, data, journal=True, idempotent=True),
                     js.DeposerFluxReponse)

    @post("/deposer/pdf", operation_id="pisteDeposerPdf", status_code=200, request_max_body_size=FLOW_BODY_LIMIT)
    async def deposer_pdf(self, request: Request, data: js.DeposerPdf) -> js.DeposerPdfReponse:
        """A PDF invoice in base64: stored and read (up to 20 s); the answer gives its `pieceJointeId` and
        what was read, to check before `soumettre`. `etatLecture` EN_COURS: the reading goes on, submit later."""
        return shape(await _call(request, Scope.DEPOSIT, piste.deposit_pdf, data, journal=True, idempotent=True),
                     js.DeposerPdfReponse)

    @post("/soumettre", operation_id="pisteSoumettre", status_code=200)
    async def soumettre(self, request: Request, data: js.Soumettre) -> js.SoumettreReponse:
        """The invoice of a `deposer/pdf` (modeDepot DEPOT_PDF_API), or one typed in field by field with its lines
        (SAISIE_API), created with these data and sent; a refusal keeps nothing, so the same call may be made
        again once corrected. `Idempotency-Key` answers a repeated call with the first answer."""
        return shape(await _call(request, Scope.DEPOSIT, piste.submit, data, journal=True, idempotent=True), js.SoumettreReponse)

    @post("/recycler", operation_id="pisteRecycler", status_code=200)
    async def recycler(self, request: Request, data: js.Recycler) -> js.RecyclerReponse:
        """The supplier's correction of an invoice « À recycler » (recipient, service, engagement), deposited again."""
        return shape(await _call(request, Scope.DEPOSIT, piste.recycle, data, journal=True), js.RecyclerReponse)

    @post("/telecharger/groupe", operation_id="pisteTelechargerGroupe", status_code=200)
    async def telecharger(self, request: Request, data: js.TelechargerGroupe) -> js.TelechargerGroupeReponse:
        """Invoices' files in base64: the file itself for one file, else a ZIP (at most 100 invoices, 30 MB)."""
        return shape(await _call(request, Scope.SEARCH, piste.download_group, data), js.TelechargerGroupeReponse)

    @post("/completer", operation_id="pisteCompleter", status_code=200)
    async def completer(self, request: Request, data: js.Completer) -> js.CompleterReponse:
        return shape(await _call(request, Scope.DEPOSIT, piste.complete, data, journal=True), js.CompleterReponse)

    @post("/rechercher/fournisseur", operation_id="pisteRechercherFournisseur", status_code=200)
    async def rechercher_fournisseur(self, request: Request, data: js.RechercherFactures) -> js.RechercherFacturesReponse:
        return shape(await _call(request, Scope.SEARCH, piste.search_supplier, data), js.RechercherFacturesReponse)

    @post("/rechercher/recipiendaire", operation_id="pisteRechercherRecipiendaire", status_code=200)
    async def rechercher_recipiendaire(self, request: Request, data: js.RechercherFactures) -> js.RechercherFacturesReponse:
        return shape(await _call(request, Scope.SEARCH, piste.search_recipient_invoices, data), js.RechercherFacturesReponse)

    @post("/rechercher/valideur", operation_id="pisteRechercherValideur", status_code=200)
    async def rechercher_valideur(self, request: Request, data: js.RechercherFactures) -> js.RechercherFacturesReponse:
        return shape(await _call(request, Scope.SEARCH, piste.search_validator_invoices, data), js.RechercherFacturesReponse)

    @post("/consulter/fournisseur", operation_id="pisteConsulterFournisseur", status_code=200)
    async def consulter_fournisseur(self, request: Request, data: js.ConsulterFacture) -> js.ConsulterFactureReponse:
        return shape(await _call(request, Scope.SEARCH, piste.consult_supplier, data), js.ConsulterFactureReponse)

    @post("/consulter/recipiendaire", operation_id="pisteConsulterRecipiendaire", status_code=200)
    async def consulter_recipiendaire(self, request: Request, data: js.ConsulterFacture) -> js.ConsulterFactureReponse:
        return shape(await _call(request, Scope.SEARCH, piste.consult_recipient, data), js.ConsulterFactureReponse)

    @post("/consulter/historique", operation_id="pisteConsulterHistorique", status_code=200)
    async def consulter_historique(self, request: Request, data: js.ConsulterFacture) -> js.ConsulterHistoriqueReponse:
        return shape(await _call(request, Scope.SEARCH, piste.consult_history, data), js.ConsulterHistoriqueReponse)

    @post("/traiter/recue", operation_id="pisteTraiterRecue", status_code=200)
    async def traiter_recue(self, request: Request, data: js.TraiterRecue) -> js.TraiterRecueReponse:
        return shape(await _call(request, Scope.PROCESS, piste.process_received, data, journal=True), js.TraiterRecueReponse)

    @post("/traiter/factureAValider", operation_id="pisteTraiterFactureAValider", status_code=200)
    async def traiter_a_valider(self, request: Request, data: js.TraiterFactureAValider) -> js.TraiterFactureAValiderReponse:
        return shape(await _call(request, Scope.PROCESS, piste.process_to_validate, data, journal=True),
                     js.TraiterFactureAValiderReponse)


PISTE_CONTROLLERS = [OAuthController, PisteTransversesController, PisteStructuresController, PisteFacturesController]
# Set after the classes are built, as backend/infra/openapi.py document_routes does for Chorale's own routes.
for _controller in PISTE_CONTROLLERS:
    for _handler in vars(_controller).values():
        if hasattr(_handler, "operation_class"):
            _handler.operation_class = PisteOperation
