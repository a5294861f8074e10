"""Interface texts of the accounts slice."""

from shared.i18n import register

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
    "login.error.compte_verrouille": ("Trop de tentatives : votre compte est verrouillé pendant 15 minutes. Vous pouvez aussi réinitialiser votre mot de passe.",
                                      "Too many attempts: your account is locked for 15 minutes. You may also reset your password."),
    "login.error.compte_non_active": ("Votre compte n'est pas encore activé : suivez le lien reçu par courriel.",
                                      "Your account is not activated yet: follow the link sent by e-mail."),
    "user.logout": ("Se déconnecter", "Log out"),
    "user.login": ("Se connecter", "Log in"),
})
