"""The PISTE routes' request and answer shapes, named and spelled as Chorus Pro's JSON (French camelCase).

Requests declare the fields the use cases read; others the clients send (idUtilisateurCourant…) are
ignored. Every request Struct omits its absent fields when turned back into the dict the use cases read
(`omit_defaults`), so "not sent" stays "not sent". Answers are checked against these Structs by
`backend.infra.schemas.shape`, which refuses a key they do not declare. Where the open-source clients
disagree both spellings are declared (docs/piste-api.md says which is answered).
"""

from __future__ import annotations

from typing import Any

import msgspec

from backend.infra.schemas import UNSET, Unset

# Request shapes (the fields the routes read; others sent by the clients, such as idUtilisateurCourant, are ignored).

class Pagination(msgspec.Struct, omit_defaults=True):
    nbResultatsParPage: int | None = None
    pageResultatDemandee: int | None = None
    triColonne: str | None = None
    triSens: str | None = None
    triSense: str | None = None  # the Go client's spelling


class DeposerFlux(msgspec.Struct):
    fichierFlux: str
    nomFichier: str
    syntaxeFlux: str
    avecSignature: bool = False
    idStructure: int | None = None  # Chorale: the supplier structure, when the file does not say


class DeposerFluxReponse(msgspec.Struct):
    codeRetour: int
    libelle: str
    numeroFluxDepot: str
    dateDepot: str
    syntaxeFlux: str


class ConsulterCR(msgspec.Struct):
    numeroFluxDepot: str
    syntaxeFlux: str | None = None
    dateDepot: str | None = None


class TraiterRecue(msgspec.Struct):
    idFacture: int
    nouveauStatut: str
    motif: str | None = None
    numeroDPMandat: str | None = None


class Reponse(msgspec.Struct, kw_only=True):
    """Every PISTE answer starts with Chorus Pro's return code (0: success) and its label."""

    codeRetour: int
    libelle: str


class DeposerPdf(msgspec.Struct):
    fichierFacture: str
    nomFichier: str
    formatDepot: str = "PDF_NON_SIGNE"  # PDF_NON_SIGNE, PDF_SIGNE_PADES, PDF_SIGNE_XADES
    idStructure: int | None = None  # Chorale: the supplier structure, when the account acts for several


class DeposerPdfReponse(Reponse, kw_only=True, omit_defaults=True):
    pieceJointeId: int
    etatLecture: str  # Chorale: TERMINEE, or EN_COURS when the reading outlasted the call
    typeFacture: str = "FACTURE"
    numeroFacture: str | None = None
    dateFacture: str | None = None
    codeDestinataire: str | None = None
    codeServiceExecutant: str | None = None
    codeFournisseur: str | None = None
    codeDeviseFacture: str | None = None
    numeroBonCommande: str | None = None
    montantHtTotal: float | None = None
    montantTVA: float | None = None
    montantTtcAvantRemiseGlobalTTC: float | None = None
    montantAPayer: float | None = None


class PieceJointePrincipale(msgspec.Struct):
    pieceJointePrincipaleId: int | None = None
    pieceJointePrincipaleDesignation: str | None = None


class DestinataireFacture(msgspec.Struct):
    codeDestinataire: str | None = None
    codeServiceExecutant: str | None = None


class FournisseurFacture(msgspec.Struct):
    idFournisseur: int | None = None
    idServiceFournisseur: int | None = None
    codeCoordonneesBancairesFournisseur: int | None = None


class CadreDeFacturation(msgspec.Struct):
    codeCadreFacturation: str | None = None
    codeStructureValideur: str | None = None
    codeServiceValideur: str | None = None


class MontantTotal(msgspec.Struct):
    montantHtTotal: float | None = None
    montantTVA: float | None = None
    montantTtcTotal: float | None = None
    montantRemiseGlobaleTTC: float | None = None  # SAISIE_API: refused unless 0 (discounts go on the lines)
    motifRemiseGlobaleTTC: str | None = None
    montantAPayer: float | None = None


class ReferencesFacture(msgspec.Struct):
    deviseFacture: str | None = None
    typeFacture: str | None = None  # SAISIE_API: FACTURE or AVOIR
    typeTva: str | None = None
    motifExonerationTva: str | None = None  # SAISIE_API: the reason of the lines at 0 %
    numeroBonCommande: str | None = None
    numeroMarche: str | None = None
    numeroFactureOrigine: str | None = None
    modePaiement: str | None = None


class LignePoste(msgspec.Struct):
    """SAISIE_API: one line; lignePosteTauxTva a code of recuperer/tauxtva (TVA20…) or lignePosteTauxTvaManuel."""

    lignePosteNumero: int | None = None
    lignePosteReference: str | None = None
    lignePosteDenomination: str | None = None
    lignePosteQuantite: float | None = None
    lignePosteUnite: str | None = None
    lignePosteMontantUnitaireHT: float | None = None
    lignePosteMontantRemiseHT: float | None = None
    lignePosteTauxTva: str | None = None
    lignePosteTauxTvaManuel: float | None = None


class LigneTva(msgspec.Struct):
    """SAISIE_API: one VAT line, compared with the lines' own; the rate as go-choruspro (ligneTvaTaux) or PISTE's
    documentation (ligneTvaTauxRefCode) names it, or ligneTvaTauxManuel."""

    ligneTvaTaux: str | None = None
    ligneTvaTauxRefCode: str | None = None
    ligneTvaTauxManuel: float | None = None
    ligneTvaMontantBaseHtParTaux: float | None = None
    ligneTvaMontantTvaParTaux: float | None = None


class PieceJointeComplementaire(msgspec.Struct):
    pieceJointeComplementaireId: int | None = None
    pieceJointeComplementaireDesignation: str | None = None
    pieceJointeComplementaireType: str | None = None


class Soumettre(msgspec.Struct):
    # DEPOT_PDF_API: an object for go-choruspro, a list of one for PISTE's documentation (both are read).
    pieceJointePrincipale: PieceJointePrincipale | list[PieceJointePrincipale] | None = None
    modeDepot: str = "DEPOT_PDF_API"  # or SAISIE_API: the invoice typed in below, lines included, no PDF
    numeroFactureSaisi: str | None = None
    dateFacture: str | None = None
    commentaire: str | None = None
    destinataire: DestinataireFacture | None = None
    fournisseur: FournisseurFacture | None = None
    cadreDeFacturation: CadreDeFacturation | None = None
    montantTotal: MontantTotal | None = None
    references: ReferencesFacture | None = None
    lignePoste: list[LignePoste] | None = None
    ligneTva: list[LigneTva] | None = None
    pieceJointeComplementaire: list[PieceJointeComplementaire] | None = None


class SoumettreReponse(Reponse, kw_only=True):
    dateDepot: str
    identifiantFactureCPP: int
    identifiantStructure: str
    numeroFacture: str | None
    statutFacture: str


class Recycler(msgspec.Struct):
    identifiantFactureCPP: int
    destinataire: DestinataireFacture | None = None
    reference: ReferencesFacture | None = None  # go-choruspro's name
    references: ReferencesFacture | None = None  # soumettre's
    commentaire: str | None = None


class RecyclerReponse(Reponse, kw_only=True):
    dateDepot: str
    identifiantFactureCPP: int
    numeroFacture: str | None
    statutFacture: str


class IdFacture(msgspec.Struct):
    idFacture: int


class TelechargerGroupe(msgspec.Struct):
    listeFacture: list[IdFacture]
    format: str = "PDF"  # PDF or XML: the files as deposited; ZIP: always a ZIP
    avecPiecesJointesComplementaires: str = "NON"


class TelechargerGroupeReponse(Reponse, kw_only=True):
    fichierResultat: str  # base64
    formatFichierResultat: str  # Chorale: PDF, XML or ZIP
    nomFichierResultat: str


class TokenForm(msgspec.Struct):
    grant_type: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None


class OAuthErreur(msgspec.Struct):
    error: str
    error_description: str


class TokenReponse(msgspec.Struct):
    access_token: str
    token_type: str
    expires_in: int
    scope: str




# Shared pieces ---------------------------------------------------------------------------------------

class Parametres(msgspec.Struct, omit_defaults=True):
    """A search's pagination block, answered (parametresRetour, or at the top level) as PISTE does."""

    nbResultatsParPage: int
    pageCourante: int
    pages: int
    total: int


# Transverses ----------------------------------------------------------------------------------------

class HealthCheckReponse(Reponse, kw_only=True):
    etat: str
    date: str


class ListeReferenceReponse(Reponse, kw_only=True):
    """One of the reference lists (recuperer/<name>): the answer carries the list its name gives."""

    listeCadreFacturation: list[dict[str, str]] | Unset = UNSET
    listeStatutsPossiblesPourTraitement: list[dict[str, str]] | Unset = UNSET
    listeTauxTva: list[dict[str, str]] | Unset = UNSET
    listeDevises: list[dict[str, str]] | Unset = UNSET
    listePays: list[dict[str, str]] | Unset = UNSET
    listeModePaiement: list[dict[str, str]] | Unset = UNSET
    listeMotifs: list[dict[str, str]] | Unset = UNSET
    listeMotifsExonerationTva: list[dict[str, str]] | Unset = UNSET


class ConsulterCRReponse(Reponse, kw_only=True):
    numeroFluxDepot: str
    nomFichierFlux: str | None
    dateDepotFlux: str | None
    etatCourantFlux: str
    dateHeureEtatCourantFlux: str | None
    codeInterfaceFlux: str
    syntaxeFlux: str | None


class ErreurDP(msgspec.Struct):
    numeroDP: str
    libelleErreurDP: str | None
    codeErreurDP: str | None
    identifiantFournisseur: str
    identifiantDestinataire: str
    nomFichier: str | None


class ErreurTechnique(msgspec.Struct):
    codeErreur: str
    libelleErreur: str | None
    nomFichier: str | None


class ConsulterCRDetailleReponse(Reponse, kw_only=True):
    numeroFluxDepot: str
    nomFichier: str | None
    dateDepotFlux: str | None
    etatCourantFlux: str
    etatCourantDepotFlux: str  # go-choruspro's name for the same state
    codeInterfaceDepotFlux: str
    dateHeureEtatCourantFlux: str | None
    nbFacturesIntegrees: int | None
    nbFacturesRejetees: int | None
    listeErreurDP: list[ErreurDP]
    listeErreurTechnique: list[ErreurTechnique]


class InformationSiret(msgspec.Struct, omit_defaults=True):
    siretStructure: str | None = None
    siret: str | None = None


class InformationSiretReponse(Reponse, kw_only=True):
    siret: str
    raisonSociale: str | None
    etablissement: dict[str, Any]  # the directory's establishment, as Chorale's /api/directory answers it


class RechercherDestinataire(msgspec.Struct, omit_defaults=True):
    identifiant: str | None = None
    raisonSociale: str | None = None
    parametres: Pagination | None = None


# Structures ------------------------------------------------------------------------------------------

class CriteresStructure(msgspec.Struct, omit_defaults=True):
    identifiantStructure: str | None = None
    typeIdentifiantStructure: str | None = None
    raisonSocialeStructure: str | None = None
    libelleStructure: str | None = None


class RechercherStructures(msgspec.Struct, omit_defaults=True):
    structure: CriteresStructure | None = None
    restreindreStructuresPrivees: bool | None = None
    parametres: Pagination | None = None


class StructureTrouvee(msgspec.Struct):
    idStructureCPP: int
    identifiantStructure: str | None
    typeIdentifiantStructure: str
    designationStructure: str | None
    statut: str
    estPublique: bool


class RechercherStructuresReponse(Reponse, kw_only=True):
    listeStructures: list[StructureTrouvee]
    parametresRetour: Parametres


class RechercherServices(msgspec.Struct, omit_defaults=True):
    idStructure: int | None = None
    idStructureCPP: int | None = None
    parametresRechercherServicesStructure: Pagination | None = None
    parametres: Pagination | None = None


class ServiceTrouve(msgspec.Struct):
    idService: int
    codeService: str
    libelleService: str | None
    estActif: bool
    statutService: str


class RechercherServicesReponse(Reponse, kw_only=True):
    listeServices: list[ServiceTrouve]
    parametresRetour: Parametres


class ConsulterStructure(msgspec.Struct, omit_defaults=True):
    idStructureCPP: int | None = None
    idStructure: int | None = None


class AdresseStructure(msgspec.Struct):
    adresseLigne1: str | None
    codePostal: str | None
    ville: str | None
    codePays: str


class ParametresStructure(msgspec.Struct):
    codeServiceDoitEtreRenseigne: bool | None
    numeroEjDoitEtreRenseigne: bool | None


class ConsulterStructureReponse(Reponse, kw_only=True):
    idStructureCPP: int
    identifiantStructure: str | None
    typeIdentifiantStructure: str
    designationStructure: str | None
    statut: str
    estPublique: bool
    raisonSociale: str | None
    libelleStructure: str | None
    adresse: AdresseStructure
    parametres: ParametresStructure


class ConsulterService(msgspec.Struct, omit_defaults=True):
    idStructure: int | None = None
    idStructureCPP: int | None = None
    idService: int | None = None


class ConsulterServiceReponse(Reponse, kw_only=True):
    idService: int
    codeService: str
    libelleService: str | None
    estActif: bool
    idStructure: int


# Invoices: searching, consulting, processing -----------------------------------------------------------

class RechercherFactures(msgspec.Struct, omit_defaults=True):
    """rechercher/fournisseur, /recipiendaire, /valideur: the criteria each reads, the pagination where each
    client puts it."""

    numeroFluxDepot: str | None = None
    numeroFacture: str | None = None
    statutCourant: str | list[str] | None = None
    idFournisseur: int | None = None
    idDestinataire: int | None = None
    idStructureValideur: int | None = None
    rechercheFactureParFournisseur: Pagination | None = None
    paramRecherche: Pagination | None = None
    pagination: Pagination | None = None
    parametres: Pagination | None = None


class FactureTrouvee(msgspec.Struct, kw_only=True):
    identifiantFactureCPP: int
    numeroFacture: str | None
    typeFacture: str
    cadreDeFacturation: str | None
    dateFacture: str | None
    dateDepot: str | None
    dateHeureEtatCourant: str | None
    statut: str
    devise: str | None
    montantHT: float | None
    montantTTC: float | None
    montantAPayer: float | None
    idDestinataire: int | None
    codeDestinataire: str | None
    designationDestinataire: str | None
    idServiceExecutant: int | None
    codeServiceExecutant: str | None
    nomServiceExecutant: str | None
    idFournisseur: int
    codeFournisseur: str | None
    designationFournisseur: str | None
    modeDepot: str
    numeroDepot: str | None
    idFacture: int | Unset = UNSET  # the recipient's search
    factureTelechargeeParDestinataire: bool | Unset = UNSET


class RechercherFacturesReponse(Reponse, kw_only=True):
    listeFactures: list[FactureTrouvee]
    # The supplier's and recipient's searches answer the pagination at the top level, the supplier's, the
    # validator's (and the structures') under parametresRetour too: see docs/piste-api.md.
    nbResultatsParPage: int | Unset = UNSET
    pageCourante: int | Unset = UNSET
    pages: int | Unset = UNSET
    total: int | Unset = UNSET
    parametresRetour: Parametres | Unset = UNSET


class ConsulterFacture(msgspec.Struct, omit_defaults=True):
    identifiantFactureCPP: int | None = None
    idFacture: int | None = None


class PieceJointe(msgspec.Struct):
    pieceJointeId: int
    pieceJointeDesignation: str | None


class FactureConsultee(FactureTrouvee, kw_only=True):
    pieceJointePrincipale: list[PieceJointe]
    numeroEngagement: str | None
    numeroBonCommande: str | None


class ConsulterFactureReponse(Reponse, kw_only=True):
    facture: FactureConsultee


class HistoStatut(msgspec.Struct):
    idHistorique: int
    statut: str | None
    statutPrecedent: str | None
    action: str | None
    dateHeureChangement: str | None
    commentaire: str | None
    utilisateur: str | None


class HistoriqueDesStatuts(msgspec.Struct):
    histoStatut: list[HistoStatut]
    nbResultatsParPage: int
    pageCourante: int
    pages: int
    total: int


class ConsulterHistoriqueReponse(Reponse, kw_only=True):
    idFacture: int
    numeroFacture: str | None
    statutCourantFacture: str
    historiquesDesStatuts: HistoriqueDesStatuts


class TraiterRecueReponse(Reponse, kw_only=True):
    idFacture: int
    numeroFacture: str | None
    nouveauStatut: str | None
    dateTraitement: str


class TraiterFactureAValider(msgspec.Struct, omit_defaults=True):
    idFacture: int | None = None
    action: str | None = None  # VALIDER or REFUSER
    motifRefus: str | None = None


class TraiterFactureAValiderReponse(Reponse, kw_only=True):
    idFacture: int
    numeroFacture: str | None
    statutFacture: str | None
    dateTraitement: str


class Completer(msgspec.Struct, omit_defaults=True):
    identifiantFactureCPP: int | None = None
    idFacture: int | None = None
    commentaire: str | None = None


class CompleterReponse(Reponse, kw_only=True):
    identifiantFactureCPP: int
    numeroFacture: str | None
    statutFacture: str | None
    dateTraitement: str
