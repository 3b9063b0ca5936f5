'use client';

import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { z } from 'zod';
import { Button } from '@/components/ui/button';
import { FieldError } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { UPLOAD_LIMIT_TEXT } from '@guidepost/provider-contracts/finqware';
import { detectFileType, DOCUMENT_TYPES, fileProblem, stepSchemas } from '@/lib/onboarding/step-schemas';
import type { UploadResponse } from '@/lib/onboarding/types';
import { RestartOnboardingForm, SelectField } from './step-form';
import { formatFileSize, STEP_FIELD_LABELS } from './step-summary';

type UploadStepKind = 'identity_document' | 'selfie';

interface UploadStepFormProps {
  kind: UploadStepKind;
  onboardingId: string;
  stepIndex: number;
  /** Same-origin route that takes the multipart upload and answers an UploadResponse as JSON. */
  uploadUrl: string;
  defaults?: Record<string, string>;
  /** Form action that starts the onboarding again; offered when the server answers `restart: true`. */
  onRestart?: (data: FormData) => Promise<void>;
}

const FILE_INPUT = {
  identity_document: {
    accept: 'image/jpeg,image/png,application/pdf',
    hint: `A photo or scan: JPEG, PNG or PDF, at most ${UPLOAD_LIMIT_TEXT}.`,
    missing: 'Choose a photo or scan of your identity document.',
  },
  selfie: {
    accept: 'image/jpeg,image/png',
    hint: `A clear photo of your face: JPEG or PNG, at most ${UPLOAD_LIMIT_TEXT}.`,
    missing: 'Choose or take a photo of your face.',
  },
} as const;

const FIX_FIELDS = 'Some answers need fixing: see the message under each field.';
const NOT_THROUGH = 'The upload did not go through. Check your connection and try again.';
const UNREADABLE = 'This file could not be read. Choose it again.';
const MILESTONES = [25, 50, 75, 100] as const;

interface ChosenFile {
  file: File;
  /** Why it cannot be sent, from its size and first bytes; undefined when it can. */
  problem?: string;
  /** Type read from its bytes, not its name. */
  type?: string;
  previewUrl?: string;
}

interface Progress {
  loaded: number;
  total: number;
}

async function checkFile(kind: UploadStepKind, file: File): Promise<Pick<ChosenFile, 'problem' | 'type'>> {
  try {
    // The first bytes tell the real format; the whole file is never read in the browser.
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    return { problem: fileProblem(kind, { size: file.size, head }), type: detectFileType(head) };
  } catch {
    // E.g. the file was moved or deleted after being chosen.
    return { problem: UNREADABLE };
  }
}

function isUploadResponse(body: unknown): body is UploadResponse {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'next' in body && typeof body.next === 'string';
  return body.ok === false && 'message' in body && typeof body.message === 'string';
}

function firstOf(errors: string[] | undefined): string[] | undefined {
  return errors && errors.length > 0 ? [errors[0]!] : undefined;
}

export function UploadStepForm({ kind, onboardingId, stepIndex, uploadUrl, defaults, onRestart }: UploadStepFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  // Set synchronously, so a second click before React re-renders cannot send the file twice.
  const busy = useRef(false);
  const checkCount = useRef(0);
  const moveFocus = useRef(false);

  const [chosen, setChosen] = useState<ChosenFile | undefined>(undefined);
  const [fileErrors, setFileErrors] = useState<string[] | undefined>(undefined);
  const [documentTypeErrors, setDocumentTypeErrors] = useState<string[] | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [restart, setRestart] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [progress, setProgress] = useState<Progress | undefined>(undefined);
  const [milestone, setMilestone] = useState(0);

  const previewUrl = chosen?.previewUrl;
  // Each preview holds the image in memory until revoked: free it when it is replaced or the form goes.
  useEffect(() => {
    if (!previewUrl) return;
    return () => URL.revokeObjectURL(previewUrl);
  }, [previewUrl]);

  // Leaving the page mid-upload stops the transfer rather than finishing it unseen.
  useEffect(() => () => xhrRef.current?.abort(), []);

  useEffect(() => {
    const form = formRef.current;
    if (!moveFocus.current || !form) return;
    moveFocus.current = false;
    const firstInvalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (firstInvalid) firstInvalid.focus();
    // The button was disabled during the upload, which dropped the focus: give it back.
    else if (document.activeElement === document.body) form.querySelector<HTMLElement>('button[type="submit"]')?.focus();
  });

  async function onFileChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    const check = ++checkCount.current;
    // A new file drops what the server said about the previous one.
    setFileErrors(undefined);
    if (!file) {
      setChosen(undefined);
      return;
    }
    const result = await checkFile(kind, file);
    // Another file was chosen while this one was being read.
    if (check !== checkCount.current) return;
    const previewUrl = !result.problem && result.type?.startsWith('image/') ? URL.createObjectURL(file) : undefined;
    setChosen({ file, ...result, previewUrl });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Always sent by script: the browser's own submit cannot report progress or keep the chosen file.
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;

    const data = new FormData(event.currentTarget);
    const documentType = data.get('documentType');
    const parsed = stepSchemas[kind].safeParse(
      kind === 'identity_document' ? { documentType: typeof documentType === 'string' ? documentType : undefined } : {},
    );
    const typeErrors = parsed.success
      ? undefined
      : firstOf((z.flattenError(parsed.error as z.ZodError).fieldErrors as Record<string, string[] | undefined>).documentType);

    const file = fileInputRef.current?.files?.[0];
    // Checked again here: the check started on change may not have finished yet.
    const problem = file ? (await checkFile(kind, file)).problem : FILE_INPUT[kind].missing;

    setDocumentTypeErrors(typeErrors);
    setRestart(false);
    if (typeErrors || problem || !file) {
      // Shown beside the field; nothing is sent.
      setFileErrors(problem && problem !== chosen?.problem ? [problem] : undefined);
      setFormError(FIX_FIELDS);
      moveFocus.current = true;
      busy.current = false;
      return;
    }

    setFileErrors(undefined);
    setFormError(undefined);
    send(file, parsed.success && 'documentType' in parsed.data ? parsed.data.documentType : undefined);
  }

  function send(file: File, documentType: string | undefined) {
    const body = new FormData();
    body.set('onboardingId', onboardingId);
    body.set('stepIndex', String(stepIndex));
    if (documentType) body.set('documentType', documentType);
    body.set('file', file);

    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open('POST', uploadUrl);
    // A non-JSON answer (a proxy's 413 page, a crash) then reads as null rather than throwing.
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      setProgress({ loaded: event.loaded, total: event.total });
      const percent = event.total > 0 ? (event.loaded / event.total) * 100 : 0;
      const reached = MILESTONES.filter((step) => percent >= step).at(-1) ?? 0;
      // Only milestones are announced: one message per tick would drown the screen reader.
      setMilestone((previous) => Math.max(previous, reached));
    });
    xhr.addEventListener('load', () => finish(xhr.response));
    xhr.addEventListener('error', () => finish(undefined));
    xhr.addEventListener('timeout', () => finish(undefined));
    xhr.addEventListener('abort', () => finish(undefined));

    setUploading(true);
    setProgress({ loaded: 0, total: file.size });
    setMilestone(0);
    xhr.send(body);
  }

  function finish(response: unknown) {
    xhrRef.current = null;
    const answer = isUploadResponse(response) ? response : undefined;
    if (answer?.ok) {
      const next = new URL(answer.next, window.location.href);
      // Only ever follow a link to this site; stay disabled while the next page loads.
      if (next.origin === window.location.origin) window.location.assign(next.href);
      else window.location.reload();
      return;
    }

    busy.current = false;
    setUploading(false);
    setProgress(undefined);
    setMilestone(0);
    moveFocus.current = true;
    if (!answer) {
      setFormError(NOT_THROUGH);
      return;
    }
    // The chosen file and document type stay in their inputs, so trying again is one click.
    setRestart(Boolean(answer.restart));
    const fieldErrors = answer.fieldErrors ?? {};
    const typeErrors = firstOf(fieldErrors.documentType);
    const fileMessages = answer.error === 'file' ? [answer.message] : firstOf(fieldErrors.file);
    setDocumentTypeErrors(typeErrors);
    setFileErrors(fileMessages);
    const shownBesideAField = [...(typeErrors ?? []), ...(fileMessages ?? [])].includes(answer.message);
    setFormError(shownBesideAField ? undefined : answer.message);
  }

  const input = FILE_INPUT[kind];
  const shownFileErrors = chosen?.problem ? [chosen.problem] : fileErrors;
  const fileInvalid = Boolean(shownFileErrors);
  const goodFile = chosen && !chosen.problem ? chosen : undefined;
  const describedBy = ['field-file-hint', goodFile ? 'field-file-details' : null, fileInvalid ? 'field-file-error' : null].filter(Boolean).join(' ');
  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;

  return (
    <div className="flex flex-col gap-6">
      {/* method and action only matter before the script loads: the file then still goes by POST, not in a URL. */}
      <form ref={formRef} method="post" encType="multipart/form-data" action={uploadUrl} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
        <input type="hidden" name="onboardingId" value={onboardingId} />
        <input type="hidden" name="stepIndex" value={stepIndex} />
        {kind === 'identity_document' ? (
          <SelectField
            name="documentType"
            label={STEP_FIELD_LABELS.identity_document.documentType}
            defaultValue={defaults?.documentType ?? ''}
            errors={documentTypeErrors}
          >
            <option value="">Choose a document</option>
            {Object.entries(DOCUMENT_TYPES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        ) : null}

        <div className="flex flex-col gap-1">
          <label htmlFor="field-file" className="text-sm font-medium text-slate-800">
            {STEP_FIELD_LABELS[kind].file}
          </label>
          <input
            ref={fileInputRef}
            id="field-file"
            name="file"
            type="file"
            accept={input.accept}
            // Phones then offer the front camera for a selfie.
            capture={kind === 'selfie' ? 'user' : undefined}
            required
            onChange={onFileChange}
            aria-invalid={fileInvalid || undefined}
            aria-describedby={describedBy}
            className="rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-1.5 file:font-semibold file:text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-invalid:border-red-700"
          />
          <p id="field-file-hint" className="text-sm text-slate-600">
            {input.hint}
          </p>
          <FieldError id="field-file-error" errors={shownFileErrors} />
          {goodFile ? (
            <div className="flex flex-col gap-2">
              <p id="field-file-details" className="text-sm text-slate-800">
                {goodFile.file.name}, {formatFileSize(goodFile.file.size)}
              </p>
              {goodFile.previewUrl ? (
                // eslint-disable-next-line @next/next/no-img-element -- a local blob: URL, which next/image cannot load or optimise
                <img
                  src={goodFile.previewUrl}
                  alt="Preview of the chosen file"
                  // A file that only starts like an image (the server will say so) shows no broken picture.
                  onError={() =>
                    setChosen((current) => (current && current.previewUrl === goodFile.previewUrl ? { ...current, previewUrl: undefined } : current))
                  }
                  className="max-h-64 w-auto self-start rounded-md border border-slate-300 object-contain"
                />
              ) : null}
            </div>
          ) : null}
        </div>

        {progress ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="upload-progress" className="text-sm font-medium text-slate-800">
              Upload progress
            </label>
            <div className="flex items-center gap-3">
              <progress
                id="upload-progress"
                value={progress.loaded}
                max={progress.total > 0 ? progress.total : 1}
                className="h-2 w-full overflow-hidden rounded-full bg-slate-200 [&::-moz-progress-bar]:bg-blue-800 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-blue-800"
              />
              <span className="w-12 text-right text-sm text-slate-800 tabular-nums">{percent}%</span>
            </div>
          </div>
        ) : null}
        {/* Always in the page: a live region announces reliably only once it is there. */}
        <p aria-live="polite" className="sr-only">
          {uploading ? (milestone > 0 ? `Upload ${milestone}% done.` : 'Upload started.') : ''}
        </p>

        <FormMessage tone="error" message={formError} />
        <div>
          <Button type="submit" disabled={uploading} aria-disabled={uploading}>
            Upload and continue
          </Button>
        </div>
      </form>
      {restart && onRestart ? <RestartOnboardingForm onboardingId={onboardingId} onRestart={onRestart} /> : null}
    </div>
  );
}
