// The edit dialog of /userhome: a video's name and description, saved with PATCH.
import { api } from './api.js';
import { $ } from './common.js';
import { explain, showFailure } from './messages.js';

/** onSaved(video): the API's answer, the video as it now is. */
export function createEditDialog(dialog, { userName, onSaved }) {
  const form = $('[data-edit-form]', dialog);
  const { name: nameInput, description: descriptionInput } = form.elements;
  const error = $('[data-error]', dialog);
  const save = $('button[type=submit]', dialog);
  let video = null;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    nameInput.removeAttribute('aria-invalid');
    const name = nameInput.value.trim();
    if (name === '') {
      error.textContent = 'Give the video a name.';
      nameInput.setAttribute('aria-invalid', 'true');
      nameInput.focus();
      return;
    }
    save.disabled = true;
    try {
      const path = `/user/${encodeURIComponent(userName)}/videos/${video.id}`;
      const saved = await api('PATCH', path, { name, description: descriptionInput.value });
      dialog.close();
      onSaved(saved);
    } catch (failure) {
      showFailure(error, failure, explain(failure, 'save your changes (they are kept here)'));
    } finally {
      save.disabled = false;
    }
  });
  $('[data-cancel]', dialog).addEventListener('click', () => dialog.close());

  return {
    open(selected) {
      video = selected;
      nameInput.value = selected.name;
      descriptionInput.value = selected.description;
      error.textContent = '';
      dialog.showModal();
      nameInput.focus();
    },
  };
}
