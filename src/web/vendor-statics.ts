// Third-party browser scripts the pages use, served from our own statics (no CDN): their name in the statics
// index -> their file in node_modules. The build copies them beside the other statics
// (scripts/copy-statics.mjs), so a deploy without dev dependencies has them; run from src/, the index reads
// them from node_modules.
export const VENDOR_STATICS: Readonly<Record<string, string>> = {
  'vendor/tus.min.js': 'tus-js-client/dist/tus.min.js',
};
