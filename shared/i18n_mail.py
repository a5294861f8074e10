"""The e-mails Chorale sends, in French and English: `mail.<template>.subject` and `mail.<template>.body`.

`backend.domain.notifications.services.queue_template` renders a template in the recipient's language
(the account's stored language) and wraps the body in `mail.frame` (greeting and signature). Subject and
body are given the same parameters; tests/unit/i18n/test_catalogue.py checks both languages take the same
ones, and that every sending site passes them.
"""

from shared.i18n import register

register({
    "mail.frame": ("Bonjour {first_name},\n\n{body}\n\n— Chorale", "Hello {first_name},\n\n{body}\n\n— Chorale"),

    # Accounts: activation (four ways of getting a link), the sign-up of an address that has an account, reset.
    "mail.activation_inscription.subject": ("Chorale — activez votre compte utilisateur", "Chorale — activate your user account"),
    "mail.activation_inscription.body": (
        "Votre compte utilisateur {email} a été créé sur Chorale.\n"
        "Pour l'activer, choisissez votre mot de passe en suivant ce lien (valable 48 heures) :\n{link}",
        "Your user account {email} was created on Chorale.\n"
        "To activate it, choose your password by following this link (valid for 48 hours):\n{link}"),
    "mail.activation_inscription_rattachement.subject": ("Chorale — activez votre compte utilisateur",
                                                         "Chorale — activate your user account"),
    "mail.activation_inscription_rattachement.body": (
        "Votre compte utilisateur {email} a été créé sur Chorale.\n"
        "Pour l'activer, choisissez votre mot de passe en suivant ce lien (valable 48 heures) :\n{link}\n\n"
        "Votre demande de rattachement à la structure existante a été transmise à son gestionnaire principal.",
        "Your user account {email} was created on Chorale.\n"
        "To activate it, choose your password by following this link (valid for 48 hours):\n{link}\n\n"
        "Your attachment request to the existing organisation was sent to its main manager."),
    "mail.activation_invitation.subject": ("Chorale — activez votre compte utilisateur", "Chorale — activate your user account"),
    "mail.activation_invitation.body": (
        "Vous avez été rattaché(e) à la structure {structure} ({scope}) par son gestionnaire.\n"
        "Pour activer votre compte Chorale, choisissez votre mot de passe en suivant ce lien (valable 48 heures) :\n{link}",
        "You were attached to the organisation {structure} ({scope}) by its manager.\n"
        "To activate your Chorale account, choose your password by following this link (valid for 48 hours):\n{link}"),
    "mail.activation_renvoi.subject": ("Chorale — activez votre compte utilisateur", "Chorale — activate your user account"),
    "mail.activation_renvoi.body": (
        "Le support de Chorale vous renvoie le lien d'activation de votre compte (valable 48 heures) :\n{link}",
        "Chorale's support sends you your account's activation link again (valid for 48 hours):\n{link}"),
    "mail.activation_inscription_existante.subject": ("Chorale — activez votre compte utilisateur",
                                                      "Chorale — activate your user account"),
    "mail.activation_inscription_existante.body": (
        "Quelqu'un (vous peut-être) a voulu créer un compte Chorale avec l'adresse {email}, qui en a déjà un, "
        "pas encore activé. Aucun autre compte n'a été créé.\n"
        "Pour activer le vôtre, choisissez votre mot de passe en suivant ce lien (valable 48 heures) :\n{link}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
        "Someone (perhaps you) tried to create a Chorale account with the address {email}, which already has one, "
        "not activated yet. No other account was created.\n"
        "To activate yours, choose your password by following this link (valid for 48 hours):\n{link}\n\n"
        "If you did not ask for this, ignore this message."),
    "mail.inscription_existante.subject": ("Chorale — tentative d'inscription avec votre adresse",
                                           "Chorale — a sign-up attempt with your address"),
    "mail.inscription_existante.body": (
        "Quelqu'un (vous peut-être) a voulu créer un compte Chorale avec l'adresse {email}, qui en a déjà un. "
        "Aucun autre compte n'a été créé.\n\n"
        "Vous connecter : {login_link}\nMot de passe oublié : {reset_link}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre compte n'a pas changé.",
        "Someone (perhaps you) tried to create a Chorale account with the address {email}, which already has one. "
        "No other account was created.\n\n"
        "Log in: {login_link}\nForgot your password: {reset_link}\n\n"
        "If you did not ask for this, ignore this message: your account has not changed."),
    "mail.reinitialisation.subject": ("Chorale — réinitialisation de votre mot de passe", "Chorale — resetting your password"),
    "mail.reinitialisation.body": (
        "Pour choisir un nouveau mot de passe, suivez ce lien (valable 2 heures) :\n{link}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
        "To choose a new password, follow this link (valid for 2 hours):\n{link}\n\n"
        "If you did not ask for this, ignore this message."),

    # Invoices: a status change the user hears of, and the daily digest.
    "mail.facture.subject": ("Chorale — facture {number} : {status}", "Chorale — invoice {number}: {status}"),
    "mail.facture.body": ("{message}\n\nConsulter la facture : {link}", "{message}\n\nOpen the invoice: {link}"),
    "mail.recapitulatif.subject": ("Chorale — récapitulatif quotidien ({count} événement(s))",
                                   "Chorale — daily digest ({count} event(s))"),
    "mail.recapitulatif.body": ("Depuis le dernier récapitulatif :\n{lines}", "Since the last digest:\n{lines}"),
    "mail.recapitulatif.line": ("- {moment} : {message}", "- {moment}: {message}"),

    # Organisation: rattachement requests and decisions, detachment, a workspace to switch on.
    "mail.rattachement_demande.subject": ("Chorale — demande de rattachement à {structure}",
                                          "Chorale — attachment request to {structure}"),
    "mail.rattachement_demande.body": (
        "{name} ({email}) demande à être rattaché(e) à la structure {structure} ({scope}).\nCommentaire : {comment}\n\n"
        "Traiter la demande (onglet Approbations) : {link}",
        "{name} ({email}) asks to be attached to the organisation {structure} ({scope}).\nComment: {comment}\n\n"
        "Handle the request (Approvals tab): {link}"),
    "mail.rattachement_approuve.subject": ("Chorale — rattachement à {structure} validé",
                                           "Chorale — attachment to {structure} approved"),
    "mail.rattachement_approuve.body": (
        "Votre demande de rattachement à {structure}{service} a été validée.\nProfils attribués : {granted}.\n\n"
        "Se connecter : {link}",
        "Your attachment request to {structure}{service} was approved.\nProfiles granted: {granted}.\n\nLog in: {link}"),
    "mail.rattachement_refuse.subject": ("Chorale — rattachement à {structure} refusé",
                                         "Chorale — attachment to {structure} refused"),
    "mail.rattachement_refuse.body": ("Votre demande de rattachement à {structure}{service} a été refusée.\nMotif : {reason}",
                                      "Your attachment request to {structure}{service} was refused.\nReason: {reason}"),
    "mail.rattachement_detache.subject": ("Chorale — détachement de {structure}", "Chorale — detached from {structure}"),
    "mail.rattachement_detache.body": ("Vous avez été détaché(e) de {structure}.\nCommentaire : {comment}",
                                       "You were detached from {structure}.\nComment: {comment}"),
    "mail.rattachement_direct.subject": ("Chorale — rattachement à {structure}", "Chorale — attached to {structure}"),
    "mail.rattachement_direct.body": ("Vous avez été rattaché(e) à la structure {structure} ({scope}) par son gestionnaire.",
                                      "You were attached to the organisation {structure} ({scope}) by its manager."),
    "mail.espace_a_activer.subject": ("Chorale — une facture attend votre validation ({workspace})",
                                      "Chorale — an invoice awaits your validation ({workspace})"),
    "mail.espace_a_activer.body": (
        "La facture {number} attend votre validation dans l'espace « {workspace} », que vous n'avez pas activé. "
        "Activez-le : {link}",
        "Invoice {number} awaits your validation in the workspace “{workspace}”, which you have not switched on. "
        "Switch it on: {link}"),
    "mail.service_entier": ("structure entière", "whole organisation"),
    "mail.service": (" (service {service})", " (service {service})"),
    "mail.aucun_profil": ("aucun profil", "no profile"),

    # Sollicitations: support's answer.
    "mail.sollicitation_reponse.subject": ("Chorale — réponse du support à votre sollicitation n° {id}",
                                           "Chorale — support's answer to your request no. {id}"),
    "mail.sollicitation_reponse.body": (
        "Le support a répondu à votre sollicitation n° {id} ({category}) :\n\n{answer}\n\nConsulter la sollicitation : {link}",
        "Support answered your request no. {id} ({category}):\n\n{answer}\n\nOpen the request: {link}"),
})

# Invoice notices (processing/rules.py SUPPLIER_NOTICES, RECIPIENT_NOTICES): the bell's text and the e-mail's,
# both in the reader's language. Values: number, recipient, supplier, reason.
register({
    "notice.refus": ("La facture {number} a été refusée par {recipient} : {reason}",
                     "Invoice {number} was refused by {recipient}: {reason}"),
    "notice.suspension": ("La facture {number} a été suspendue par {recipient} : {reason}. Complétez-la depuis son détail.",
                          "Invoice {number} was suspended by {recipient}: {reason}. Complete it from its details."),
    "notice.recyclage": ("La facture {number} est à recycler (données du destinataire à corriger) : {reason}",
                         "Invoice {number} is to be recycled (the recipient's details need correcting): {reason}"),
    "notice.rejet": ("La facture {number} a été rejetée : {reason}", "Invoice {number} was rejected: {reason}"),
    "notice.erreur_acheminement": ("La facture {number} n'a pas pu être acheminée : {reason}",
                                   "Invoice {number} could not be routed: {reason}"),
    "notice.paiement": ("La facture {number} a été mise en paiement par {recipient}.",
                        "Invoice {number} was put in payment by {recipient}."),
    "notice.completee": ("La facture {number} de {supplier} a été complétée : {reason}",
                         "Invoice {number} from {supplier} was completed: {reason}"),
})
