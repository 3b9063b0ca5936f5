'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { lazy, Suspense, useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { DOCUMENT_TYPES, uploadPages, type DocumentPage } from '@guidepost/provider-contracts/finqware/choices';
import { detectFileType, fileProblem, UPLOAD_LIMIT_MB, type StepsTranslator } from '@/lib/onboarding/step-fields';
import type { UploadResponse } from '@/lib/onboarding/types';
import type { FrameGuide } from './camera-capture';
import { formatFileSize } from './file-size';
import { RestartOnboardingForm, SelectField } from './step-form';

// The camera's dialog loads when the user first asks for it: most people choose a file. React's lazy, not next/dynamic,
// whose own code weighs more than the camera's.
const CameraCapture = lazy(() => import('./camera-capture').then((module) => ({ default: module.CameraCapture })));

type UploadStepKind = 'identity_document' | 'selfie';

interface UploadStepFormProps {
  kind: UploadStepKind;
  onboardingId: string;
  stepIndex: number;
  /** Same-origin route that takes the multipart upload and answers an UploadResponse as JSON. */
  uploadUrl: string;
  defaults?: Record<string, string>;
  /** The document type Finqware was already told (a retried upload): its sides are the ones to send. */
  documentTypeSent?: string;
  /** Form action that starts the onboarding again; offered when the server answers `restart: true`. */
  onRestart?: (data: FormData) => Promise<void>;
}

// The route's field for each side (lib/onboarding/upload.ts): the front, or only page, and the back.
const FIELDS: Record<DocumentPage, 'file' | 'fileBack'> = { front: 'file', back: 'fileBack' };
const ACCEPT: Record<UploadStepKind, string> = {
  identity_document: 'image/jpeg,image/png,application/pdf',
  // Any image, without `capture`: a phone then offers its camera and its photo library alike (a format we
  // do not take, such as HEIC, is named as such before anything is sent).
  selfie: 'image/*',
};
const MILESTONES = [25, 50, 75, 100] as const;

type DocumentType = (typeof DOCUMENT_TYPES)[number];
const isDocumentType = (value: string): value is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(value);

interface ChosenFile {
  file: File;
  /** Why it cannot be sent, from its size and first bytes; undefined when it can. */
  problem?: string;
  /** Type read from its bytes, not its name. */
  type?: string;
  previewUrl?: string;
}

type Phase = { name: 'idle' } | { name: 'uploading'; loaded: number; total: number; milestone: number } | { name: 'checking' };

async function checkFile(kind: UploadStepKind, file: File, t: StepsTranslator): Promise<Pick<ChosenFile, 'problem' | 'type'>> {
  try {
    // The first bytes tell the real format; the whole file is never read in the browser.
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    return { problem: fileProblem(kind, { size: file.size, head }, t), type: detectFileType(head) };
  } catch {
    // E.g. the file was moved or deleted after being chosen.
    return { problem: t('files.unreadable') };
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

/** The label of each side's field, e.g. "Front of the identity card". */
function pageLabel(kind: UploadStepKind, documentType: DocumentType | undefined, page: DocumentPage, t: StepsTranslator): string {
  if (kind === 'selfie') return t('upload.pages.selfie');
  if (documentType === 'passport' || !documentType) return t('upload.pages.passport');
  return t(`upload.pages.${documentType}_${page}`);
}

/**
 * The camera button's name for each side, e.g. "Take a photo of the front". It starts with the button's visible words
 * and does not repeat the field's label, so the label names the file field alone.
 */
function cameraName(kind: UploadStepKind, documentType: DocumentType | undefined, page: DocumentPage, t: StepsTranslator): string {
  if (kind === 'selfie') return t('camera.takeOf.selfie');
  if (documentType === 'passport' || !documentType) return t('camera.takeOf.passport');
  return t(`camera.takeOf.${page}`);
}

const guideFor = (kind: UploadStepKind, documentType: DocumentType | undefined): FrameGuide =>
  kind === 'selfie' ? 'face' : documentType === 'passport' ? 'passport' : 'card';

/** Whether the browser can take a photo here: a camera exists and the page may ask for it. */
function useHasCamera(): boolean {
  const [hasCamera, setHasCamera] = useState(false);
  // After hydration only: the server cannot know, and the first render must match its HTML.
  useEffect(() => {
    let live = true;
    const devices = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!window.isSecureContext || typeof devices?.getUserMedia !== 'function' || typeof devices.enumerateDevices !== 'function') return;
    devices
      .enumerateDevices()
      .then((found) => {
        if (live) setHasCamera(found.some((device) => device.kind === 'videoinput'));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return hasCamera;
}

export function UploadStepForm({ kind, onboardingId, stepIndex, uploadUrl, defaults, documentTypeSent, onRestart }: UploadStepFormProps) {
  const t = useTranslations('onboardingSteps');
  const format = useFormatter();
  // The step's schema (zod) comes after the page shows, and before any file can be sent: the first submit waits for it.
  const schemas = useRef<Promise<typeof import('@/lib/onboarding/step-schemas')> | undefined>(undefined);
  const loadSchemas = () => (schemas.current ??= import('@/lib/onboarding/step-schemas'));
  useEffect(() => {
    void loadSchemas();
  }, []);
  const hasCamera = useHasCamera();
  const formRef = useRef<HTMLFormElement>(null);
  const inputRefs = useRef<Partial<Record<DocumentPage, HTMLInputElement | null>>>({});
  const requestRef = useRef<AbortController | null>(null);
  // Set synchronously, so a second click before React re-renders cannot send the files twice.
  const busy = useRef(false);
  const checkCount = useRef<Record<DocumentPage, number>>({ front: 0, back: 0 });
  const moveFocus = useRef(false);

  const initialType = documentTypeSent ?? defaults?.documentType ?? '';
  const [documentType, setDocumentType] = useState(initialType);
  const [chosen, setChosen] = useState<Partial<Record<DocumentPage, ChosenFile>>>({});
  const [pageErrors, setPageErrors] = useState<Partial<Record<DocumentPage, string[]>>>({});
  const [documentTypeErrors, setDocumentTypeErrors] = useState<string[] | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [cancelled, setCancelled] = useState(false);
  // A photo was just taken: said, since the dialog that took it closed.
  const [captured, setCaptured] = useState(false);
  const [restart, setRestart] = useState(false);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [cameraFor, setCameraFor] = useState<DocumentPage | undefined>(undefined);
  // Set once the camera was asked for: from then on its dialog stays mounted (closed), ready for the next photo.
  const [cameraWanted, setCameraWanted] = useState(false);

  const knownType = isDocumentType(documentType) ? documentType : undefined;
  // The sides to send: a passport's photo page, an identity card's or a driving licence's front and back, one selfie.
  const pages: readonly DocumentPage[] = kind === 'selfie' ? ['front'] : knownType ? uploadPages(kind, knownType) : [];

  // Each preview holds the image in memory until revoked: free it when it is replaced or the form goes.
  const frontPreview = chosen.front?.previewUrl;
  const backPreview = chosen.back?.previewUrl;
  useEffect(() => (frontPreview ? () => URL.revokeObjectURL(frontPreview) : undefined), [frontPreview]);
  useEffect(() => (backPreview ? () => URL.revokeObjectURL(backPreview) : undefined), [backPreview]);

  // Leaving the page mid-upload stops the transfer rather than finishing it unseen.
  useEffect(() => () => requestRef.current?.abort('unmounted'), []);

  // The send button is disabled while the files travel: the focus goes to "Cancel upload" meanwhile.
  const transferring = phase.name === 'uploading';
  useEffect(() => {
    if (transferring) formRef.current?.querySelector<HTMLElement>('[data-cancel-upload]')?.focus();
  }, [transferring]);

  useEffect(() => {
    const form = formRef.current;
    if (!moveFocus.current || !form) return;
    moveFocus.current = false;
    const firstInvalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (firstInvalid) firstInvalid.focus();
    // The button was disabled during the upload, which dropped the focus: give it back.
    else if (document.activeElement === document.body || !form.contains(document.activeElement))
      form.querySelector<HTMLElement>('button[type="submit"]')?.focus();
  });

  /** A new file for one side: what was said about the previous one, or about the last attempt, goes. */
  async function choose(page: DocumentPage, file: File | undefined) {
    const check = ++checkCount.current[page];
    setPageErrors((errors) => ({ ...errors, [page]: undefined }));
    setCancelled(false);
    setCaptured(false);
    if (!restart) setFormError(undefined);
    if (!file) {
      setChosen((files) => ({ ...files, [page]: undefined }));
      return;
    }
    const result = await checkFile(kind, file, t);
    // Another file was chosen for this side while this one was being read.
    if (check !== checkCount.current[page]) return;
    const previewUrl = !result.problem && result.type?.startsWith('image/') ? URL.createObjectURL(file) : undefined;
    setChosen((files) => ({ ...files, [page]: { file, ...result, previewUrl } }));
  }

  function onFileChange(page: DocumentPage, event: ChangeEvent<HTMLInputElement>) {
    void choose(page, event.currentTarget.files?.[0]);
  }

  function onCapture(page: DocumentPage, file: File) {
    setCameraFor(undefined);
    // The photo goes into the file input too, so the page shows it as the chosen file (where the browser allows it).
    const input = inputRefs.current[page];
    if (input) {
      try {
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
      } catch {
        input.value = '';
      }
    }
    void choose(page, file).then(() => setCaptured(true));
  }

  function onDocumentTypeChange(event: ChangeEvent<HTMLSelectElement>) {
    setDocumentType(event.currentTarget.value);
    // Another document: its sides are chosen anew (their fields start empty).
    setChosen({});
    setDocumentTypeErrors(undefined);
    setPageErrors({});
    if (!restart) setFormError(undefined);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Always sent by script: the browser's own submit cannot report progress, be cancelled or keep the chosen files.
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setCancelled(false);
    setCaptured(false);

    // Should the schema fail to load, the server checks alone.
    const typeErrors = await loadSchemas().then(
      ({ stepFieldErrors }) => firstOf(stepFieldErrors(t, kind, (name) => (name === 'documentType' ? documentType || undefined : undefined))?.documentType),
      () => {
        schemas.current = undefined;
        return undefined;
      },
    );

    // Checked again here: the check started on change may not have finished yet.
    const missing = kind === 'selfie' ? t('upload.missingSelfie') : t('upload.missingDocument');
    const problems: Partial<Record<DocumentPage, string[]>> = {};
    for (const page of pages) {
      const file = chosen[page]?.file;
      const problem = file ? (await checkFile(kind, file, t)).problem : missing;
      // A problem already shown from the file's own check is not repeated.
      if (problem && problem !== chosen[page]?.problem) problems[page] = [problem];
      else if (problem) problems[page] = undefined;
    }

    setDocumentTypeErrors(typeErrors);
    setRestart(false);
    const blocked = Object.keys(problems).length > 0;
    if (typeErrors || blocked || pages.length === 0) {
      // Shown beside the fields; nothing is sent.
      setPageErrors(problems);
      setFormError(t('form.fixFields'));
      moveFocus.current = true;
      busy.current = false;
      return;
    }

    setPageErrors({});
    setFormError(undefined);
    // No type errors: an identity document's type is one of the list's.
    send(kind === 'identity_document' ? documentType : undefined);
  }

  function send(type: string | undefined) {
    const body = new FormData();
    body.set('onboardingId', onboardingId);
    body.set('stepIndex', String(stepIndex));
    if (type) body.set('documentType', type);
    for (const page of pages) body.set(FIELDS[page], chosen[page]!.file);

    // XMLHttpRequest, for the upload's progress; the AbortController is what "Cancel upload" and leaving the page use.
    const controller = new AbortController();
    requestRef.current = controller;
    const xhr = new XMLHttpRequest();
    controller.signal.addEventListener('abort', () => xhr.abort());
    xhr.open('POST', uploadUrl);
    // A non-JSON answer (a proxy's 413 page, a crash) then reads as null rather than throwing.
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable || controller.signal.aborted) return;
      const percent = event.total > 0 ? (event.loaded / event.total) * 100 : 0;
      // Only milestones are announced: one message per tick would drown the screen reader.
      const reached = MILESTONES.filter((step) => percent >= step).at(-1) ?? 0;
      setPhase((previous) =>
        previous.name === 'checking'
          ? previous
          : {
              name: 'uploading',
              loaded: event.loaded,
              total: event.total,
              milestone: Math.max(previous.name === 'uploading' ? previous.milestone : 0, reached),
            },
      );
    });
    // Every byte is sent: the server now checks the files and passes them on to Finqware.
    xhr.upload.addEventListener('load', () => {
      if (!controller.signal.aborted) setPhase({ name: 'checking' });
    });
    xhr.addEventListener('load', () => finish(xhr.response));
    xhr.addEventListener('error', () => finish(undefined));
    xhr.addEventListener('timeout', () => finish(undefined));
    xhr.addEventListener('abort', () => (controller.signal.reason === 'unmounted' ? undefined : stopped()));

    setPhase({ name: 'uploading', loaded: 0, total: Object.values(chosen).reduce((sum, file) => sum + (file?.file.size ?? 0), 0), milestone: 0 });
    xhr.send(body);
  }

  /** The user cancelled: nothing went through, and the same files can be sent again. */
  function stopped() {
    requestRef.current = null;
    busy.current = false;
    setPhase({ name: 'idle' });
    setCancelled(true);
    moveFocus.current = true;
  }

  function cancel() {
    requestRef.current?.abort('cancelled');
  }

  function finish(response: unknown) {
    requestRef.current = null;
    const answer = isUploadResponse(response) ? response : undefined;
    if (answer?.ok) {
      const next = new URL(answer.next, window.location.href);
      // Only ever follow a link to this site; stay disabled while the next page loads.
      if (next.origin === window.location.origin) window.location.assign(next.href);
      else window.location.reload();
      return;
    }
    // Sent already (another tab, the phone): the onboarding's page shows where it is now.
    if (answer && (answer.error === 'already_submitted' || answer.error === 'completed')) {
      window.location.assign(new URL(`/onboarding/${encodeURIComponent(onboardingId)}`, window.location.href).href);
      return;
    }

    busy.current = false;
    setPhase({ name: 'idle' });
    moveFocus.current = true;
    if (!answer) {
      setFormError(t('upload.notThrough'));
      return;
    }
    // The chosen files and document type stay, so trying again is one click.
    setRestart(Boolean(answer.restart));
    const fieldErrors = answer.fieldErrors ?? {};
    const typeErrors = firstOf(fieldErrors.documentType);
    const byPage: Partial<Record<DocumentPage, string[]>> = { front: firstOf(fieldErrors.file), back: firstOf(fieldErrors.fileBack) };
    setDocumentTypeErrors(typeErrors);
    setPageErrors(byPage);
    const besideAField = [...(typeErrors ?? []), ...(byPage.front ?? []), ...(byPage.back ?? [])].includes(answer.message);
    setFormError(besideAField ? undefined : answer.message);
  }

  const uploading = phase.name !== 'idle';
  const percent = phase.name === 'uploading' && phase.total > 0 ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 100;
  const checkingText = kind === 'selfie' ? t('upload.checkingSelfie') : t('upload.checking');
  const cameraTitle = cameraFor ? cameraName(kind, knownType, cameraFor, t) : '';

  return (
    <div className="flex flex-col gap-6">
      {/* method and action only matter before the script loads: the files then still go by POST, not in a URL. */}
      <form ref={formRef} method="post" encType="multipart/form-data" action={uploadUrl} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
        <input type="hidden" name="onboardingId" value={onboardingId} />
        <input type="hidden" name="stepIndex" value={stepIndex} />
        {kind === 'identity_document' ? (
          <div className="flex flex-col gap-1">
            <SelectField
              name="documentType"
              label={t('fields.documentType')}
              value={documentType}
              onChange={onDocumentTypeChange}
              disabled={Boolean(documentTypeSent) || uploading}
              describedBy={documentTypeSent ? 'field-documentType-sent' : undefined}
              errors={documentTypeErrors}
            >
              <option value="">{t('chooseDocument')}</option>
              {DOCUMENT_TYPES.map((value) => (
                <option key={value} value={value}>
                  {t(`documentTypes.${value}`)}
                </option>
              ))}
            </SelectField>
            {documentTypeSent ? (
              <p id="field-documentType-sent" className="text-sm text-slate-600">
                {t('upload.documentTypeSent')}
              </p>
            ) : null}
          </div>
        ) : null}

        {kind === 'identity_document' ? (
          <p className="text-sm text-slate-800">{pages.length > 0 ? t('upload.pagesIntro', { count: pages.length }) : t('upload.chooseTypeFirst')}</p>
        ) : null}

        {pages.map((page) => (
          <PageField
            key={`${knownType ?? kind}-${page}`}
            kind={kind}
            field={FIELDS[page]}
            label={pageLabel(kind, knownType, page, t)}
            cameraLabel={cameraName(kind, knownType, page, t)}
            chosen={chosen[page]}
            errors={chosen[page]?.problem ? [chosen[page]!.problem!] : pageErrors[page]}
            disabled={uploading}
            hasCamera={hasCamera}
            inputRef={(input) => {
              inputRefs.current[page] = input;
            }}
            onChange={(event) => onFileChange(page, event)}
            onTakePhoto={() => {
              setCameraWanted(true);
              setCameraFor(page);
            }}
            onPreviewError={(url) =>
              setChosen((files) => {
                const current = files[page];
                return current && current.previewUrl === url ? { ...files, [page]: { ...current, previewUrl: undefined } } : files;
              })
            }
          />
        ))}

        {phase.name === 'uploading' || phase.name === 'checking' ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="upload-progress" className="text-sm font-medium text-slate-800">
              {t('upload.progress')}
            </label>
            <div className="flex items-center gap-3">
              <progress
                id="upload-progress"
                value={phase.name === 'uploading' ? phase.loaded : 1}
                max={phase.name === 'uploading' && phase.total > 0 ? phase.total : 1}
                className="h-2 w-full overflow-hidden rounded-full bg-slate-200 [&::-moz-progress-bar]:bg-blue-800 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-blue-800"
              />
              <span className="w-14 text-right text-sm text-slate-800 tabular-nums">{format.number(percent / 100, { style: 'percent' })}</span>
            </div>
          </div>
        ) : null}
        {/* Always in the page: a live region announces reliably only once it is there. */}
        <p aria-live="polite" className="sr-only">
          {phase.name === 'uploading' ? (phase.milestone > 0 ? t('upload.milestone', { percent: phase.milestone }) : t('upload.started')) : ''}
        </p>
        <p role="status" className="text-sm font-medium text-slate-800 empty:hidden">
          {phase.name === 'checking' ? checkingText : cancelled ? t('upload.cancelled') : captured ? t('camera.captured') : ''}
        </p>

        <FormMessage tone="error" message={formError} />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" disabled={uploading} aria-disabled={uploading}>
            {t('upload.submit')}
          </Button>
          {phase.name === 'uploading' ? (
            // Only while bytes are on their way: once they all arrived, the server may already be passing them on.
            <Button type="button" variant="secondary" onClick={cancel} data-cancel-upload>
              {t('upload.cancel')}
            </Button>
          ) : null}
        </div>
      </form>
      {restart && onRestart ? <RestartOnboardingForm onboardingId={onboardingId} onRestart={onRestart} /> : null}
      {hasCamera && cameraWanted ? (
        <Suspense fallback={null}>
          <CameraCapture
            open={cameraFor !== undefined}
            title={cameraTitle}
            guide={guideFor(kind, knownType)}
            fileName={kind === 'selfie' ? 'selfie-photo.jpg' : `${cameraFor === 'back' ? 'back' : 'front'}-photo.jpg`}
            onCapture={(file) => cameraFor && onCapture(cameraFor, file)}
            onClose={() => setCameraFor(undefined)}
          />
        </Suspense>
      ) : null}
    </div>
  );
}

interface PageFieldProps {
  kind: UploadStepKind;
  /** The route's field name, which is also the base of the ids (`field-file`, `field-fileBack`). */
  field: 'file' | 'fileBack';
  label: string;
  /** The camera button's accessible name for this side. */
  cameraLabel: string;
  chosen?: ChosenFile;
  errors?: string[];
  disabled: boolean;
  hasCamera: boolean;
  inputRef: (input: HTMLInputElement | null) => void;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onTakePhoto: () => void;
  onPreviewError: (url: string) => void;
}

/** One side of the document (or the selfie): a file to choose, or a photo to take, with its preview and its errors. */
function PageField({ kind, field, label, cameraLabel, chosen, errors, disabled, hasCamera, inputRef, onChange, onTakePhoto, onPreviewError }: PageFieldProps) {
  const t = useTranslations('onboardingSteps');
  const id = `field-${field}`;
  const invalid = Boolean(errors && errors.length > 0);
  const good = chosen && !chosen.problem ? chosen : undefined;
  const describedBy = [`${id}-hint`, good ? `${id}-details` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ');
  const hint = kind === 'selfie' ? t('upload.hintSelfie', { limit: UPLOAD_LIMIT_MB }) : t('upload.hintDocument', { limit: UPLOAD_LIMIT_MB });
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        {hasCamera ? (
          <>
            {/* Named for its side (there is one per side); the visible words start the name. */}
            <Button type="button" variant="secondary" onClick={onTakePhoto} disabled={disabled} aria-label={cameraLabel} className="self-start">
              {t('camera.take')}
            </Button>
            <span className="text-sm text-slate-700" aria-hidden="true">
              {t('camera.orChoose')}
            </span>
          </>
        ) : null}
        <input
          ref={inputRef}
          id={id}
          name={field}
          type="file"
          accept={ACCEPT[kind]}
          required
          disabled={disabled}
          onChange={onChange}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className="min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-1.5 file:font-semibold file:text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-invalid:border-red-700"
        />
      </div>
      <p id={`${id}-hint`} className="text-sm text-slate-600">
        {hint}
      </p>
      <FieldError id={`${id}-error`} errors={errors} />
      {good ? (
        <div className="flex flex-col gap-2">
          <p id={`${id}-details`} className="text-sm text-slate-800">
            {t('upload.chosen', { name: good.file.name, size: formatFileSize(good.file.size, t) })}
          </p>
          {good.previewUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- a local blob: URL, which next/image cannot load or optimise
            <img
              src={good.previewUrl}
              alt={t('upload.previewOf', { page: label })}
              // A file that only starts like an image (the server will say so) shows no broken picture.
              onError={() => onPreviewError(good.previewUrl!)}
              className="max-h-64 w-auto self-start rounded-md border border-slate-300 object-contain"
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
