"""Interface texts of the accounts slice."""

from shared.i18n import register, t

register({
    "login.title": ("Connexion", "Log in"),
    "login.email": ("Adresse électronique de connexion", "Login e-mail address"),
    "login.password": ("Mot de passe", "Password"),
    "login.submit": ("Se connecter", "Log in"),
    "login.forgot": ("Mot de passe oublié ?", "Forgot your password?"),
    "login.new": ("Vous êtes nouveau sur Chorale ?", "New to Chorale?"),
    "login.create": ("Créer un compte", "Create an account"),
    "login.logged_out": ("Vous êtes déconnecté.", "You are logged out."),
    "login.required": ("Connectez-vous pour accéder à cette page.", "Log in to open this page."),
    "login.demo": ("Démonstration : fournisseur@demo.chorale.fr, destinataire@demo.chorale.fr ou support@demo.chorale.fr, mot de passe « Chorale-Demo-2026! ».",
                   "Demo: fournisseur@demo.chorale.fr, destinataire@demo.chorale.fr or support@demo.chorale.fr, password “Chorale-Demo-2026!”."),
    "login.error.identifiants_invalides": ("Adresse électronique ou mot de passe incorrect.", "Wrong e-mail address or password."),
    "login.error.compte_verrouille": ("Trop de tentatives : votre compte est verrouillé pendant 15 minutes. Réessayez plus tard ou contactez le support.",
                                      "Too many attempts: your account is locked for 15 minutes. Try again later or contact support."),
    "login.error.compte_non_active": ("Votre compte n'est pas encore activé : suivez le lien reçu par courriel.",
                                      "Your account is not activated yet: follow the link sent by e-mail."),
    "user.logout": ("Se déconnecter", "Log out"),
    "user.login": ("Se connecter", "Log in"),
})

register({
    "signup.title": ("Créer un compte", "Create an account"),
    "signup.step1": ("1. Identifiez-vous", "1. Identify yourself"),
    "signup.step2": ("2. Complétez les informations", "2. Complete your details"),
    "signup.step3": ("3. Ouvrez vos espaces", "3. Open your workspaces"),
    "signup.new": ("Vous êtes nouveau sur Chorale ?", "New to Chorale?"),
    "signup.email": ("Adresse électronique de connexion", "Login e-mail address"),
    "signup.email_confirmation": ("Confirmez votre adresse électronique de connexion", "Confirm your login e-mail address"),
    "signup.siret": ("Numéro de SIRET", "SIRET number"),
    "signup.no_siret": ("Je n'ai pas de numéro de SIRET", "I have no SIRET number"),
    "signup.with_siret": ("J'ai un numéro de SIRET", "I have a SIRET number"),
    "signup.identifier_type": ("Type d'identifiant", "Identifier type"),
    "signup.identifier": ("Identifiant", "Identifier"),
    "signup.next": ("Valider", "Continue"),
    "signup.back": ("Retour", "Back"),
    "signup.cancel": ("Annuler", "Cancel"),
    "signup.personal": ("Je complète mes informations personnelles", "My personal details"),
    "signup.structure": ("Je crée ma structure", "My organisation"),
    "signup.structure_hint": ("Les champs de votre structure sont alimentés avec les données de l'INSEE mais restent modifiables.",
                              "Your organisation's fields come from the INSEE register and can be edited."),
    "signup.last_name": ("Nom", "Last name"),
    "signup.first_name": ("Prénoms", "First names"),
    "signup.consent": ("J'accepte que mon nom, prénom et adresse électronique soient utilisés afin de recevoir l'enquête de satisfaction sur Chorale. Je pourrai à tout moment exercer mon droit de retrait.",
                       "I agree that my name and e-mail address may be used to send me Chorale's satisfaction survey. I may withdraw at any time."),
    "signup.raison_sociale": ("Raison sociale", "Company name"),
    "signup.libelle": ("Libellé de la structure", "Organisation label"),
    "signup.address": ("Adresse", "Address"),
    "signup.complement1": ("Complément adresse 1", "Address line 2"),
    "signup.complement2": ("Complément adresse 2", "Address line 3"),
    "signup.postcode": ("Code postal", "Postcode"),
    "signup.city": ("Ville", "City"),
    "signup.country": ("Pays", "Country"),
    "signup.purposes": ("Je crée mon compte pour", "I create my account to"),
    "signup.purpose.payments": ("Déposer des demandes de paiement (factures, mémoires de frais de justice et demandes de remboursement TIC)",
                                "Deposit payment requests (invoices, court fee statements, TIC refunds)"),
    "signup.purpose.dume": ("Créer et/ou consulter des DUME (Document unique de marché européen)", "Create or view ESPDs (European Single Procurement Document)"),
    "signup.challenge": ("Vérification : répondez à la question", "Check: answer the question"),
    "signup.workspaces_intro": ("Les espaces de travail vous donnent accès aux fonctionnalités dont vous avez besoin. Ce paramétrage n'est pas définitif.",
                                "Workspaces give you the features you need. You can change them later."),
    "signup.col.space": ("Espaces", "Workspaces"),
    "signup.col.description": ("Descriptif", "Description"),
    "signup.col.activation": ("Activation", "Activation"),
    "signup.yes": ("OUI", "YES"),
    "signup.no": ("NON", "NO"),
    "signup.done_title": ("Inscription enregistrée", "Sign-up received"),
    "signup.done": ("Un courriel vous a été envoyé à {email} : suivez-le pour activer votre compte. Pensez à le consulter rapidement : son lien a une durée de validité limitée (48 heures).",
                    "An e-mail was sent to you at {email}: follow it to activate your account. Check it soon: its link is valid for 48 hours."),
    "signup.done_request": ("Votre structure existe déjà sur Chorale : votre demande de rattachement a été transmise à son gestionnaire principal.",
                            "Your organisation already exists on Chorale: your attachment request was sent to its main manager."),
    "signup.mailbox": ("Ouvrir la boîte de réception de démonstration", "Open the demo mailbox"),
    "signup.sending": ("Création du compte…", "Creating the account…"),
    "activation.title": ("Activation du compte utilisateur", "Account activation"),
    "activation.general": ("Informations générales", "General information"),
    "activation.password_rules": ("Pour être accepté, votre mot de passe doit comporter au minimum 12 caractères et au moins 3 types de caractères parmi : des majuscules, des minuscules, des chiffres et des caractères spéciaux.",
                                  "Your password needs at least 12 characters and 3 of: upper case, lower case, digits, special characters."),
    "activation.password": ("Mot de passe", "Password"),
    "activation.confirmation": ("Confirmation", "Confirmation"),
    "activation.strength": ("Complexité du mot de passe", "Password strength"),
    "activation.strength.0": ("—", "—"),
    "activation.strength.1": ("Faible", "Weak"),
    "activation.strength.2": ("Moyenne", "Fair"),
    "activation.strength.3": ("Bonne", "Good"),
    "activation.strength.4": ("Très bonne", "Strong"),
    "activation.secret": ("Question secrète", "Secret question"),
    "activation.question": ("Question secrète", "Secret question"),
    "activation.answer": ("Réponse", "Answer"),
    "activation.choose": ("Choisissez une question", "Choose a question"),
    "activation.submit": ("Valider", "Confirm"),
    "activation.done": ("Votre compte est désormais actif et vous pouvez dès à présent transmettre vos factures à votre client public.",
                        "Your account is now active: you can send your invoices to your public customers."),
    "activation.profile": ("Vous avez le profil « Organisation modification » : il vous autorise à modifier les informations de votre structure et à gérer ses utilisateurs.",
                           "You hold the “Organisation modify” profile: you may edit your organisation and manage its users."),
    "activation.login": ("Se connecter", "Log in"),
    "mailbox.title": ("Boîte de réception (démonstration)", "Mailbox (demo)"),
    "mailbox.intro": ("Sans serveur SMTP configuré, les courriels envoyés par Chorale restent ici.", "Without an SMTP server, e-mails Chorale sends stay here."),
    "mailbox.empty": ("Aucun courriel.", "No e-mail."),
    "mailbox.to": ("À", "To"),
    "mailbox.unavailable": ("La boîte de réception de démonstration n'est pas ouverte sur cette installation : les courriels partent par la messagerie.",
                            "The demo mailbox is not open on this installation: e-mails are sent by mail."),
    "reset.title": ("Mot de passe oublié", "Forgotten password"),
    "reset.intro": ("Indiquez votre adresse de connexion : nous vous enverrons un lien pour choisir un nouveau mot de passe.",
                    "Enter your login address: we will send you a link to choose a new password."),
    "reset.send": ("Envoyer le lien", "Send the link"),
    "reset.sent": ("Si un compte existe pour cette adresse, un courriel vient de lui être envoyé.", "If an account exists for this address, an e-mail was just sent."),
    "reset.new_title": ("Nouveau mot de passe", "New password"),
    "reset.done": ("Votre mot de passe est changé.", "Your password is changed."),
    "account.title": ("Mon compte", "My account"),
    "account.details": ("Informations personnelles", "Personal details"),
    "account.contact_email": ("Adresse électronique de contact", "Contact e-mail address"),
    "account.language": ("Langue", "Language"),
    "account.save": ("Enregistrer", "Save"),
    "account.saved": ("Modifications enregistrées.", "Changes saved."),
    "account.notifications": ("Préférences notifications", "Notification preferences"),
    "account.notify_all": ("Tous", "All"),
    "account.notify_billing": ("Facturation", "Invoicing"),
    "account.structures": ("Mes structures et habilitations", "My organisations and rights"),
    "account.principal": ("gestionnaire principal", "main manager"),
    "account.requested": ("rattachement demandé", "attachment requested"),
    "account.workspaces": ("Mes espaces de travail", "My workspaces"),
    "account.requests": ("Demandes de rattachement à traiter", "Attachment requests to decide"),
    "account.approve": ("Approuver", "Approve"),
    "account.refuse": ("Refuser", "Refuse"),
    "account.no_structure": ("Vous n'êtes rattaché à aucune structure.", "You are attached to no organisation."),
})

register({"account.notify_digest": ("Un seul récapitulatif quotidien par courriel", "One daily digest e-mail")})

# The secret questions offered at activation. An account keeps the question's key (`secret_question.pet`);
# accounts activated before kept its French text, which still reads (and the API still takes it).
SECRET_QUESTION_TEXTS: dict[str, tuple[str, str]] = {
    "secret_question.school": ("Nom de votre première école ?", "Name of your first school?"),
    "secret_question.mother_town": ("Ville de naissance de votre mère ?", "Your mother's town of birth?"),
    "secret_question.pet": ("Nom de votre premier animal ?", "Name of your first pet?"),
    "secret_question.book": ("Titre de votre livre préféré ?", "Title of your favourite book?"),
    "secret_question.friend": ("Prénom de votre meilleur ami d'enfance ?", "First name of your best childhood friend?"),
}
register(SECRET_QUESTION_TEXTS)
SECRET_QUESTIONS: tuple[str, ...] = tuple(SECRET_QUESTION_TEXTS)  # their keys, in the order offered
_SECRET_QUESTION_KEYS = {text: key for key, texts in SECRET_QUESTION_TEXTS.items() for text in (key, *texts)}


def secret_question_key(question: str | None) -> str | None:
    """The key of a secret question given as its key or as its text in either language (the French text is
    what accounts activated before the keys kept); None for one not in the list."""
    return _SECRET_QUESTION_KEYS.get(question or "")


def secret_question_text(question: str, lang: str) -> str:
    """A stored secret question (its key, or the French text older accounts keep) in `lang`; one not in the
    list is shown as stored."""
    key = secret_question_key(question)
    return t(key, lang) if key else question
