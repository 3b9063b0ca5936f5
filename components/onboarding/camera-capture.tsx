'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Modal } from '@/components/ui/modal';

/** The outline drawn over the video: an ID-1 card (85.6 × 54 mm), a passport's photo page (125 × 88 mm), or a face. */
export type FrameGuide = 'card' | 'passport' | 'face';

const GUIDE_CLASS: Record<FrameGuide, string> = {
  card: 'aspect-[85.6/54] w-[82%]',
  passport: 'aspect-[125/88] w-[82%]',
  face: 'aspect-[3/4] h-[78%] rounded-[50%]',
};

// JPEG quality of a photo taken here: the server re-encodes every image anyway (lib/onboarding/image-sanitiser.ts).
const JPEG_QUALITY = 0.92;

interface CameraCaptureProps {
  open: boolean;
  /** The dialog's title, which says which side the photo is for ("Take a photo of the front"). */
  title: string;
  guide: FrameGuide;
  /** The name the photo gets, like a chosen file's. */
  fileName: string;
  onCapture: (file: File) => void;
  onClose: () => void;
}

type CameraState = { phase: 'starting' } | { phase: 'live' } | { phase: 'failed'; refused: boolean };

/**
 * Takes the photo in the browser: the camera's video (the back camera for a document, the front one for a
 * selfie) with a frame guide drawn over it, and a JPEG of the frame when the user presses the button. The
 * stream reaches the video through `srcObject` (no URL, so no CSP source to allow) and every track is
 * stopped when the dialog closes.
 */
export function CameraCapture({ open, title, guide, fileName, onCapture, onClose }: CameraCaptureProps) {
  const t = useTranslations('onboardingSteps.camera');
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      description={guide === 'face' ? t('instructionsSelfie') : t('instructionsDocument')}
      className="max-w-2xl gap-3 p-4 sm:p-6"
    >
      {open ? <CameraView guide={guide} fileName={fileName} onCapture={onCapture} onClose={onClose} /> : null}
    </Modal>
  );
}

function CameraView({ guide, fileName, onCapture, onClose }: Omit<CameraCaptureProps, 'open' | 'title'>) {
  const t = useTranslations('onboardingSteps.camera');
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>({ phase: 'starting' });
  const selfie = guide === 'face';

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    navigator.mediaDevices
      .getUserMedia({
        audio: false,
        video: { facingMode: { ideal: selfie ? 'user' : 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      })
      .then(async (opened) => {
        if (stopped) {
          opened.getTracks().forEach((track) => track.stop());
          return;
        }
        stream = opened;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = opened;
        await video.play().catch(() => undefined);
        setState({ phase: 'live' });
      })
      .catch((error: unknown) => {
        if (stopped) return;
        const name = error instanceof DOMException ? error.name : '';
        setState({ phase: 'failed', refused: name === 'NotAllowedError' || name === 'SecurityError' });
      });
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [selfie]);

  function capture() {
    const video = videoRef.current;
    if (state.phase !== 'live' || !video || video.videoWidth === 0) return;
    // The whole frame, as the camera sees it (not mirrored, even when the preview of a selfie is).
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(
      (blob) => {
        if (blob) onCapture(new File([blob], fileName, { type: 'image/jpeg', lastModified: Date.now() }));
      },
      'image/jpeg',
      JPEG_QUALITY,
    );
  }

  return (
    <div className="flex flex-col gap-3">
      {state.phase === 'failed' ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {state.refused ? t('refused') : t('unavailable')}
        </p>
      ) : (
        <div className="relative overflow-hidden rounded-md bg-slate-950">
          <video
            ref={videoRef}
            aria-label={t('preview')}
            muted
            playsInline
            // A selfie's preview is mirrored, as people expect to see themselves.
            className={`block max-h-[60vh] w-full object-contain ${selfie ? '-scale-x-100' : ''}`}
          />
          {/* The frame guide: where the document or the face should be, the rest dimmed. */}
          <div aria-hidden="true" className="pointer-events-none absolute inset-0 flex items-center justify-center">
            <div
              className={`${GUIDE_CLASS[guide]} max-h-[88%] rounded-xl border-4 border-white shadow-[0_0_0_9999px_rgb(2_6_23/0.55)] ${guide === 'face' ? 'rounded-[50%]' : ''}`}
            />
          </div>
          {state.phase === 'starting' ? (
            <p role="status" className="absolute inset-x-0 bottom-2 text-center text-sm font-semibold text-white">
              {t('starting')}
            </p>
          ) : null}
        </div>
      )}
      <div className="flex flex-wrap justify-end gap-3">
        <Button type="button" variant="secondary" onClick={onClose}>
          {t('close')}
        </Button>
        {state.phase === 'failed' ? null : (
          // Focused from the start (not `disabled`, which would lose the focus) and inactive until the video plays.
          <Button type="button" data-autofocus onClick={capture} aria-disabled={state.phase !== 'live'} className="aria-disabled:opacity-60">
            {t('capture')}
          </Button>
        )}
      </div>
    </div>
  );
}
