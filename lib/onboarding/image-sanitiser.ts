import 'server-only';
import sharp, { type Metadata } from 'sharp';

// Photos are decoded and encoded again by libvips (through sharp) before anything reaches Finqware. What
// goes on is only the pixels: EXIF (GPS position, camera, time), XMP, IPTC, comments, ICC profiles and any
// bytes appended after the image (an HTML or script "polyglot") are gone, and a file that only looks like
// an image by its first bytes never decodes. The EXIF orientation is applied to the pixels first, so the
// photo stays the right way up once the tag is gone.

/** Decode-bomb protection: a 10 MB file can claim billions of pixels; none over 40 megapixels is decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** JPEG quality of the re-encoded photo (visually the same as the original for a document). */
const JPEG_QUALITY = 90;
// If a photo comes out larger than the upload limit (a heavily compressed original), lower qualities are tried.
const FALLBACK_QUALITIES = [80, 70] as const;
// A photo that takes longer than this to decode and encode is refused rather than holding a core.
const TIMEOUT_SECONDS = 20;

// Decoding and encoding hold memory outside the JS heap (strips of the image as it streams through, the
// encoder's output as it grows): about 52 MiB at the peak for a 12-megapixel photo, where optimised
// Huffman tables made it 113 MiB (below). Photos are sanitised one at a time, the others waiting their
// turn with their upload already in memory: ten 10 MB photos at once then add 1.2–1.8× their size to the
// server's memory (npm run bench:onboarding). sharp itself runs each image on one thread on glibc
// (its advice against fragmentation), so one image at a time leaves the other core to everything else.
const IMAGE_SLOTS = 1;
// Each image is decoded once: libvips' operation cache would only keep its buffers alive.
sharp.cache(false);

let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= IMAGE_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, or is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export type ImageType = 'image/jpeg' | 'image/png';
export type ImageProblem = 'too_many_pixels' | 'undecodable' | 'too_large';
export type SanitisedImage = { ok: true; bytes: Uint8Array; width: number; height: number } | { ok: false; problem: ImageProblem };

const FORMAT: Record<ImageType, 'jpeg' | 'png'> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

/** The image decoded and encoded again in its own format, without metadata; or why it cannot be. Never throws. */
export function sanitiseImage(bytes: Uint8Array, type: ImageType, maxBytes: number): Promise<SanitisedImage> {
  return inTurn(() => reencode(bytes, type, maxBytes));
}

async function reencode(bytes: Uint8Array, type: ImageType, maxBytes: number): Promise<SanitisedImage> {
  // The header alone first: the pixel count is known before a single pixel is decoded.
  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, problem: 'undecodable' };
  }
  // The file must be the format its first bytes claim, and a single image (no animation, no pages).
  if (header.format !== FORMAT[type] || !header.width || !header.height) return { ok: false, problem: 'undecodable' };
  if (header.width * header.height * (header.pages ?? 1) > MAX_IMAGE_PIXELS) return { ok: false, problem: 'too_many_pixels' };

  const encode = async (quality: number) => {
    // failOn 'truncated': a cut-off file is refused, while the harmless warnings some cameras' files
    // raise are not. limitInputPixels again, in case the header lied about the size.
    const pipeline = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated', sequentialRead: true })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .autoOrient();
    // Standard Huffman tables (optimiseCoding off): optimising them makes libjpeg keep every DCT
    // coefficient of the image for a second pass (about 36 MB for 12 megapixels); without, the photo
    // streams through in strips, for a file a few percent larger, twice as fast.
    const encoded = type === 'image/jpeg' ? pipeline.jpeg({ quality, optimiseCoding: false }) : pipeline.png();
    return encoded.toBuffer({ resolveWithObject: true });
  };
  try {
    for (const quality of type === 'image/jpeg' ? [JPEG_QUALITY, ...FALLBACK_QUALITIES] : [JPEG_QUALITY]) {
      const { data, info } = await encode(quality);
      if (data.byteLength <= maxBytes)
        return { ok: true, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    }
    return { ok: false, problem: 'too_large' };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) return { ok: false, problem: 'too_many_pixels' };
    return { ok: false, problem: 'undecodable' };
  }
}
