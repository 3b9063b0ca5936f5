import 'server-only';
import QRCode from 'qrcode';

// The QR code is drawn here, on the server, as SVG: no script or canvas in the browser, and the CSP
// (img-src allows data:) lets the page show it as an image with a text alternative. Black on white
// with a quiet zone whatever the page's colour scheme: phone cameras read dark modules on light.

/** The SVG of a QR code for `text`, as a data: URL for an <img>. */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
