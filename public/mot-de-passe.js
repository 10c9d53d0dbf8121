/*
 * The page a users-permissions reset mail links to (src/email/templates.ts): posts the new
 * password with the mail's code to POST /api/auth/reset-password and says what happened.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('reset');
  const status = document.getElementById('status');
  // After `#` in the mail's link: never sent to a server, so never in a log.
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code');
  if (!code) {
    form.hidden = true;
    status.textContent = 'Ce lien est incomplet : ouvrez le lien reçu par e-mail tel quel.';
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const password = form.elements.password.value;
    const passwordConfirmation = form.elements.passwordConfirmation.value;
    if (password !== passwordConfirmation) {
      status.textContent = 'Les deux mots de passe ne sont pas identiques.';
      return;
    }
    status.textContent = 'Enregistrement…';
    const response = await fetch('/api/auth/reset-password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, password, passwordConfirmation }),
    }).catch(() => null);
    if (response && response.ok) {
      form.hidden = true;
      status.textContent = 'Votre mot de passe est enregistré. Vous pouvez vous connecter avec le nouveau.';
    } else {
      status.textContent =
        'Ce lien n’est plus valable ou le mot de passe a été refusé. Demandez un nouveau lien de réinitialisation.';
    }
  });
});
