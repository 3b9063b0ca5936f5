import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import type { StepView } from '@/lib/onboarding/types';

interface StepperProps {
  steps: StepView[];
  /** Index of the step to fill in now; steps.length once every step is done. */
  current: number;
  onboardingId: string;
  /** Index of a finished step being looked at again, if any. */
  viewing?: number;
}

/** Where the user is in the onboarding, in their language; finished steps link back to what was sent. */
export async function Stepper({ steps, current, onboardingId, viewing }: StepperProps) {
  const t = await getTranslations('onboarding.stepper');
  const total = steps.length;
  const position = current < total ? t('position', { current: current + 1, total, label: steps[current]?.label ?? '' }) : t('allDone', { total });
  return (
    <nav aria-label={t('label')} className="flex flex-col gap-3">
      {/* A live region: moving to the next step is announced, not only seen. */}
      <p className="text-sm font-semibold text-slate-800" role="status" aria-live="polite">
        {position}
      </p>
      <ol className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:gap-x-6">
        {steps.map((step) => (
          <li key={step.index} className="flex items-center gap-2 text-sm">
            <Marker step={step} />
            {step.state === 'done' ? (
              <>
                <Link
                  href={`/onboarding/${encodeURIComponent(onboardingId)}?step=${step.index}`}
                  // The page shows this finished step: tell assistive technology the link is where they are.
                  aria-current={viewing === step.index ? 'page' : undefined}
                  className="font-medium text-blue-800 underline underline-offset-2 hover:text-blue-900 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700 aria-[current=page]:font-semibold aria-[current=page]:no-underline"
                >
                  {step.label}
                </Link>
                {/* Outside the link so its accessible name stays the step's label. */}
                <span className="sr-only">{t('done')}</span>
              </>
            ) : step.state === 'current' ? (
              <span aria-current="step" className="font-semibold text-slate-900">
                {step.label}
              </span>
            ) : (
              <span className="text-slate-700">{step.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

// Shape and fill carry the state too, not colour alone.
function Marker({ step }: { step: StepView }) {
  const base = 'flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold';
  if (step.state === 'done') {
    return (
      <span aria-hidden="true" className={`${base} bg-blue-800 text-white`}>
        <svg viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path
            fillRule="evenodd"
            d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0l-3.5-3.5a1 1 0 1 1 1.4-1.4l2.8 2.8 6.8-6.8a1 1 0 0 1 1.4 0Z"
            clipRule="evenodd"
          />
        </svg>
      </span>
    );
  }
  if (step.state === 'current') {
    return (
      <span aria-hidden="true" className={`${base} border-2 border-blue-800 bg-white text-blue-900`}>
        {step.index + 1}
      </span>
    );
  }
  return (
    <span aria-hidden="true" className={`${base} border border-slate-500 bg-white text-slate-700`}>
      {step.index + 1}
    </span>
  );
}
