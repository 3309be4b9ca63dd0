// The front page's forms: sign in or create an account, say in plain words what went wrong next to the
// form, then go to /userhome (or back to the page that sent the visitor here).
import './page.js';
import { api } from './api.js';
import { $ } from './common.js';
import { explain } from './messages.js';

const destination = document.body.dataset.next ?? '/userhome';
const USER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function request(kind, userName, pwd) {
  const body = { user_name: userName, pwd };
  return kind === 'sign-in' ? api('POST', `/user/${encodeURIComponent(userName)}`, body) : api('POST', '/user', body);
}

/** The problem with what was typed, before asking the server: [sentence, field] or undefined. */
function problemWith(kind, nameInput, pwdInput) {
  const userName = nameInput.value.trim();
  if (userName === '') return ['Enter your user name.', nameInput];
  if (kind === 'sign-up' && !USER_NAME.test(userName)) {
    return ['User names can use letters, digits, _ . and -, up to 64 characters (no spaces).', nameInput];
  }
  if (pwdInput.value === '') return ['Enter your password.', pwdInput];
  if (kind === 'sign-up' && [...pwdInput.value].length < 8) return ['Passwords need at least 8 characters.', pwdInput];
  return undefined;
}

function sentenceFor(kind, failure) {
  if (kind === 'sign-in' && failure.status === 401) return 'That user name and password do not match. Check both and try again.';
  if (kind === 'sign-up' && failure.status === 409) return 'That user name is taken. Choose another one.';
  return explain(failure);
}

function wireForm(form) {
  const error = $('[data-error]', form);
  const button = $('button[type=submit]', form);
  const { user_name: nameInput, pwd: pwdInput } = form.elements;

  function show(sentence, field) {
    error.textContent = sentence;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(form);
    const problem = problemWith(form.id, nameInput, pwdInput);
    if (problem) return show(...problem);
    button.disabled = true;
    try {
      await request(form.id, nameInput.value.trim(), pwdInput.value);
      location.assign(destination);
    } catch (failure) {
      const field = /^Invalid user_name\b/.test(failure.message) || failure.status === 409 ? nameInput : pwdInput;
      show(sentenceFor(form.id, failure), field);
      button.disabled = false;
    }
  });
}

function clear(form) {
  $('[data-error]', form).textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

const forms = [...document.querySelectorAll('form.auth-form')];
for (const form of forms) {
  wireForm(form);
  // Turning to the other form leaves this one's error behind: it no longer applies.
  form.addEventListener('focusin', () => forms.filter((other) => other !== form).forEach(clear));
}
