// The front page's forms: sign in or create an account, show the API's error next to the form,
// then go to /userhome (or back to the watch page that sent the visitor here).
import { $, api, initSignOut, localizeTimes } from './common.js';

const destination = document.body.dataset.next ?? '/userhome';

/** The API names the field in its text ("Invalid pwd: …"): mark that input. */
function fieldOf(message, form) {
  const match = /^Invalid (user_name|pwd)\b/.exec(message);
  return match ? form.elements[match[1]] : undefined;
}

function request(kind, userName, pwd) {
  const body = { user_name: userName, pwd };
  return kind === 'sign-in' ? api('POST', `/user/${encodeURIComponent(userName)}`, body) : api('POST', '/user', body);
}

function wireForm(form) {
  const error = $('[data-error]', form);
  const button = $('button[type=submit]', form);
  const { user_name: nameInput, pwd: pwdInput } = form.elements;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    for (const input of [nameInput, pwdInput]) input.removeAttribute('aria-invalid');
    const userName = nameInput.value.trim();
    if (userName === '') {
      error.textContent = 'Enter a user name';
      nameInput.setAttribute('aria-invalid', 'true');
      nameInput.focus();
      return;
    }
    button.disabled = true;
    try {
      await request(form.id, userName, pwdInput.value);
      location.assign(destination);
    } catch (failure) {
      error.textContent = failure.message;
      const field = fieldOf(failure.message, form) ?? (failure.status === 409 ? nameInput : pwdInput);
      field.setAttribute('aria-invalid', 'true');
      field.focus();
      button.disabled = false;
    }
  });
}

for (const form of document.querySelectorAll('form.auth-form')) wireForm(form);
localizeTimes();
initSignOut();
