import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { CLEAN_PDF, hugePng, JPEG_HTML_POLYGLOT, jpegWithGps, OPEN_ACTION_JS_PDF, pngWithExif, UNPARSEABLE_PDF } from '@guidepost/sandbox/testing/files';
import { MAX_IMAGE_PIXELS, sanitiseImage } from './image-sanitiser';
import { providerFileName, sanitiseUpload } from './sanitise-upload';

const bytesOf = async (result: Awaited<ReturnType<typeof sanitiseUpload>>) => {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return Buffer.from(result.file.bytes);
};

describe('sanitiseUpload: images', () => {
  it('re-encodes a JPEG without its EXIF (GPS, camera) and XMP, turned the way its orientation said', async () => {
    const original = await jpegWithGps(320, 200);
    const before = await sharp(original).metadata();
    expect(before).toMatchObject({ format: 'jpeg', width: 320, height: 200, orientation: 6 });
    expect(before.exif).toBeDefined();
    expect(before.xmp).toBeDefined();
    expect(original.includes('GPS-1')).toBe(true);

    const clean = await bytesOf(await sanitiseUpload(original, 'image/jpeg'));
    const after = await sharp(clean).metadata();
    expect(after.format).toBe('jpeg');
    // Orientation 6 means "rotate 90° clockwise to view": the pixels are turned, the tag is gone.
    expect([after.width, after.height]).toEqual([200, 320]);
    expect(after.orientation).toBeUndefined();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    for (const text of ['Exif', 'GPS-1', 'Guidepost Test Camera', 'Camille Martin', 'xmpmeta']) expect(clean.includes(text), text).toBe(false);
    // The yellow band on the left of the original is now at the top of the picture.
    const { data } = await sharp(clean).extract({ left: 100, top: 10, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(100);
  });

  it('keeps a PNG a PNG, without its EXIF chunk', async () => {
    const original = await pngWithExif();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const clean = await bytesOf(await sanitiseUpload(original, 'image/png'));
    const after = await sharp(clean).metadata();
    expect(after).toMatchObject({ format: 'png', width: 120, height: 80 });
    expect(after.exif).toBeUndefined();
    expect(clean.includes('eXIf')).toBe(false);
  });

  it('refuses a 20000 × 20000 PNG by its header, without decoding it', async () => {
    const bomb = hugePng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(2_000);
    expect(20_000 * 20_000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    const started = performance.now();
    const result = await sanitiseUpload(bomb, 'image/png');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toMatchObject({ ok: false, reason: 'refused', message: expect.stringContaining('more than 40 megapixels') });
  });

  it('puts the budget at 40 megapixels: 8000 × 5001 is refused for its size, 8000 × 5000 is decoded', async () => {
    expect(await sanitiseImage(hugePng(8_000, 5_001), 'image/png', MAX_UPLOAD_BYTES)).toEqual({ ok: false, problem: 'too_many_pixels' });
    // 8000 × 5000 is at the budget: it is decoded (and this one is refused only because its rows are missing).
    expect(await sanitiseImage(hugePng(8_000, 5_000), 'image/png', MAX_UPLOAD_BYTES)).toEqual({ ok: false, problem: 'undecodable' });
  });

  it('refuses a JPEG/HTML polyglot: JPEG magic bytes, then a page with a script', async () => {
    const result = await sanitiseUpload(JPEG_HTML_POLYGLOT, 'image/jpeg');
    expect(result).toMatchObject({ ok: false, reason: 'refused', message: expect.stringContaining('not a valid JPEG image') });
  });

  it('drops HTML appended after a real JPEG (the other kind of polyglot): only the pixels go on', async () => {
    const original = Buffer.concat([await jpegWithGps(64, 64), Buffer.from('<html><script>alert(1)</script></html>')]);
    const clean = await bytesOf(await sanitiseUpload(original, 'image/jpeg'));
    expect(clean.includes('<script>')).toBe(false);
    expect(clean.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('refuses a truncated JPEG', async () => {
    const whole = await jpegWithGps(400, 300);
    const result = await sanitiseUpload(whole.subarray(0, Math.floor(whole.length * 0.7)), 'image/jpeg');
    expect(result).toMatchObject({ ok: false, reason: 'refused', message: expect.stringContaining('not a valid JPEG image') });
  });

  it('refuses a PNG sent as a JPEG: the file must be what its first bytes claim', async () => {
    expect(await sanitiseImage(await pngWithExif(), 'image/jpeg', MAX_UPLOAD_BYTES)).toEqual({ ok: false, problem: 'undecodable' });
  });

  it('refuses an image that stays over the byte limit once re-encoded', async () => {
    const noisy = await sharp(randomBytes(64 * 64 * 3), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toBuffer();
    expect(await sanitiseImage(noisy, 'image/png', 1_000)).toEqual({ ok: false, problem: 'too_large' });
  });
});

describe('sanitiseUpload: PDFs', () => {
  it('sends a clean PDF unchanged', async () => {
    expect(await bytesOf(await sanitiseUpload(CLEAN_PDF, 'application/pdf'))).toEqual(CLEAN_PDF);
  });

  it('refuses active content and unreadable files, each with its own sentence', async () => {
    const active = await sanitiseUpload(OPEN_ACTION_JS_PDF, 'application/pdf');
    const unreadable = await sanitiseUpload(UNPARSEABLE_PDF, 'application/pdf');
    expect(active).toMatchObject({ ok: false, reason: 'refused', message: expect.stringContaining('scripts, automatic actions or attached files') });
    expect(unreadable).toMatchObject({ ok: false, reason: 'refused', message: expect.stringContaining('could not be read') });
  });
});

describe('providerFileName', () => {
  it('is made from the step and the detected type, never from the user’s name', () => {
    expect(providerFileName('identity_document', 'image/jpeg')).toBe('identity-document.jpg');
    expect(providerFileName('identity_document', 'application/pdf')).toBe('identity-document.pdf');
    expect(providerFileName('selfie', 'image/png')).toBe('selfie.png');
  });
});
