/**
 * The e-mails staff and API users receive, in the language Strapi lets us choose.
 *
 * - Admin password reset: Strapi renders `admin.forgotPassword.emailTemplate` (config/admin.ts)
 *   with `url` and `user` (email, names) only: it does not pass the user's admin language, so this
 *   mail is in French for everyone.
 * - Admin invitation: sent by ./invitations.ts, which knows the invited user's admin language
 *   (French unless set to German or English).
 * - users-permissions password reset and e-mail confirmation: one template per installation,
 *   stored in the plugin's settings (editable under Settings > Users & Permissions > Email
 *   templates); accounts have no language, so French (./users-permissions.ts).
 *
 * Templates are lodash templates (Strapi's syntax): `<%= url %>` is replaced, HTML-escaped where
 * the value comes from a user.
 */

export const ADMIN_RESET_PASSWORD = {
  subject: 'Inter-Actions : réinitialiser votre mot de passe',
  text: `Bonjour,

Une réinitialisation du mot de passe de votre compte sur l’interface d’administration d’Inter-Actions a été demandée.

Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure) :

<%= url %>

Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.

L’équipe communication d’Inter-Actions`,
  html: `<p>Bonjour,</p>
<p>Une réinitialisation du mot de passe de votre compte sur l’interface d’administration d’Inter-Actions a été demandée.</p>
<p>Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure)&nbsp;:</p>
<p><a href="<%= url %>"><%= url %></a></p>
<p>Si vous n’êtes pas à l’origine de cette demande, ignorez ce message&nbsp;: votre mot de passe reste inchangé.</p>
<p>L’équipe communication d’Inter-Actions</p>`,
};

export type InvitationLanguage = 'fr' | 'de' | 'en';

interface Mail {
  subject: string;
  text: string;
}

/** The invitation to the admin panel, per admin language; `{url}` and `{inviter}` are filled in. */
export const ADMIN_INVITATION: Record<InvitationLanguage, Mail> = {
  fr: {
    subject: 'Inter-Actions : votre accès à l’interface d’administration',
    text: `Bonjour,

{inviter} vous a créé un compte sur l’interface d’administration d’Inter-Actions, où l’équipe rédige, traduit et publie les contenus du site.

Pour activer votre compte et choisir votre mot de passe, ouvrez ce lien :

{url}

L’équipe communication d’Inter-Actions`,
  },
  de: {
    subject: 'Inter-Actions: Ihr Zugang zur Verwaltungsoberfläche',
    text: `Guten Tag,

{inviter} hat für Sie ein Konto in der Verwaltungsoberfläche von Inter-Actions angelegt, in der das Team die Inhalte der Website verfasst, übersetzt und veröffentlicht.

Um Ihr Konto zu aktivieren und Ihr Passwort festzulegen, öffnen Sie diesen Link:

{url}

Das Kommunikationsteam von Inter-Actions`,
  },
  en: {
    subject: 'Inter-Actions: your access to the admin panel',
    text: `Hello,

{inviter} has created an account for you in the Inter-Actions admin panel, where the team writes, translates and publishes the website's content.

To activate your account and choose your password, open this link:

{url}

The Inter-Actions communications team`,
  },
};

/**
 * users-permissions' reset mail; `SERVER_URL` and `TOKEN` are the plugin's own variables. The code
 * is in the fragment (`#code=`), which browsers never send: it stays out of server and proxy logs.
 */
export const API_RESET_PASSWORD = {
  object: 'Inter-Actions : réinitialiser votre mot de passe',
  message: `<p>Bonjour,</p>
<p>Une réinitialisation du mot de passe de votre compte Inter-Actions a été demandée.</p>
<p>Pour choisir un nouveau mot de passe, ouvrez ce lien&nbsp;:</p>
<p><a href="<%= SERVER_URL %>/mot-de-passe.html#code=<%= TOKEN %>"><%= SERVER_URL %>/mot-de-passe.html#code=<%= TOKEN %></a></p>
<p>Si vous n’êtes pas à l’origine de cette demande, ignorez ce message&nbsp;: votre mot de passe reste inchangé.</p>
<p>L’équipe communication d’Inter-Actions</p>`,
};

export const API_EMAIL_CONFIRMATION = {
  object: 'Inter-Actions : confirmez votre adresse e-mail',
  message: `<p>Bonjour,</p>
<p>Merci de votre inscription. Pour confirmer votre adresse e-mail, ouvrez ce lien&nbsp;:</p>
<p><a href="<%= URL %>?confirmation=<%= CODE %>"><%= URL %>?confirmation=<%= CODE %></a></p>
<p>L’équipe communication d’Inter-Actions</p>`,
};

/** Phrases of the templates users-permissions ships, by which a template never edited is known. */
export const STRAPI_DEFAULT_MESSAGES = ['We heard that you lost your password', 'Thank you for registering!'];
