// The captions dialog of /userhome: the video's caption languages, each with "Remove", and a form to
// add one (a WebVTT or SubRip file per language; the server converts SubRip to WebVTT).
import { api } from './api.js';
import { $, el, languageName } from './common.js';
import { explain, showFailure } from './messages.js';

const COMMON_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'pt-BR', 'nl', 'sv', 'pl', 'ru', 'uk', 'tr', 'ar', 'hi', 'zh-Hans', 'zh-Hant', 'ja', 'ko'];
// The server decides (BCP 47); this only catches a slip before the file is sent.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
/** onChange(videoId): its captions changed; the page reloads the video. */
export function createCaptionsDialog(dialog, { onChange }) {
  const form = $('[data-captions-form]', dialog);
  const { lang: langInput, file: fileInput } = form.elements;
  const list = $('[data-caption-list]', dialog);
  const status = $('[data-captions-status]', dialog);
  const error = $('[data-error]', dialog);
  const add = $('button[type=submit]', dialog);
  let video = null;

  $('[data-language-options]', dialog).append(...COMMON_LANGUAGES.map((tag) => el('option', { value: tag, label: languageName(tag) })));

  function render() {
    list.replaceChildren(...video.captions.map((lang) => el('li', { class: 'caption-item' },
      el('span', { text: `${languageName(lang)} (${lang})` }),
      el('button', {
        type: 'button',
        class: 'link danger',
        'aria-label': `Remove the ${languageName(lang)} captions`,
        text: 'Remove',
        onclick: () => void removeLanguage(lang),
      }))));
    status.textContent = video.captions.length === 0 ? 'No captions yet.' : '';
  }

  function setCaptions(captions) {
    video = { ...video, captions };
    render();
    onChange(video.id);
  }

  async function removeLanguage(lang) {
    error.textContent = '';
    try {
      await api('DELETE', `/upload/${video.id}/captions/${encodeURIComponent(lang)}`);
      setCaptions(video.captions.filter((other) => other !== lang));
      status.textContent = `Removed the ${languageName(lang)} captions.`;
      langInput.focus();
    } catch (failure) {
      showFailure(error, failure, explain(failure, 'remove the captions'));
    }
  }

  function fail(message, input) {
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    for (const input of [langInput, fileInput]) input.removeAttribute('aria-invalid');
    const lang = langInput.value.trim();
    const file = fileInput.files[0];
    if (!LANGUAGE_TAG.test(lang)) return fail('Enter a language tag such as en, nl or pt-BR.', langInput);
    if (!file) return fail('Choose a caption file (.vtt or .srt).', fileInput);
    add.disabled = true;
    try {
      const added = await api('PUT', `/upload/${video.id}/captions/${encodeURIComponent(lang)}`, file, 'text/plain');
      setCaptions([...new Set([...video.captions, added.lang])].sort());
      status.textContent = `Added ${languageName(added.lang)} captions: ${added.cues} ${added.cues === 1 ? 'cue' : 'cues'}.`;
      form.reset();
      langInput.focus();
    } catch (failure) {
      if (failure.status === 415) fail(`“${file.name}” is not a WebVTT or SubRip caption file.`, fileInput);
      else if (failure.status === 413) fail(`“${file.name}” is too big: caption files can have up to 1 MB and 10000 cues.`, fileInput);
      else if (failure.status === 400 && /^Invalid captions: /.test(failure.message)) {
        fail(`“${file.name}” could not be read: ${failure.message.slice('Invalid captions: '.length)}.`, fileInput);
      } else showFailure(error, failure, explain(failure, 'add the captions'));
    } finally {
      add.disabled = false;
    }
  });
  $('[data-cancel]', dialog).addEventListener('click', () => dialog.close());

  return {
    open(selected) {
      video = selected;
      form.reset();
      error.textContent = '';
      render();
      dialog.showModal();
      langInput.focus();
    },
  };
}
