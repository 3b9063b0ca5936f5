import { z } from 'zod';

// Zod compiles fast validators with `new Function`, which the Content-Security-Policy forbids (no
// 'unsafe-eval'); it probes for it first, and browsers report the probe itself as a violation.
// Validation is the same without it. Imported for its effect by every schema module the browser loads.
z.config({ jitless: true });
