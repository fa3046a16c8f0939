/** Checks of client-supplied media by their bytes — kind, size, length, and that the file is whole — streaming and with bounded memory (no ffmpeg in Azure Functions). */
export { fileNameViolation, MAX_FILE_NAME_LENGTH } from './file-name';
export { inspectMedia, type InspectOptions, type MediaFacts, type MediaInspector } from './inspector';
export { SIGNATURE_BYTES, sniffMedia, type MediaKind, type MediaSignature } from './signature';
export { MediaTooLargeError } from './too-large-error';
