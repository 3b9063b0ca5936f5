import { PATHS, STATUS, uploadPages } from '@guidepost/provider-contracts/finqware';
import { answeringBare, jsonRoute } from './api';
import { findSkill, needsUpload } from './catalog';
import { checkTenantKeys } from './credentials';
import { bareError, finqwareError } from './errors';
import { routePattern, type Route } from './router';
import type { FinqwareState, OnboardingSession } from './state';
import { stepDataProblem } from './step-data';

/**
 * The answer once a step is complete (its data, and its upload where it takes one): the nonce for the
 * next step, or, after the last one, the temp_token and no further nonce.
 */
export function stepCompleted(state: FinqwareState, session: OnboardingSession, stepId: string): Response {
  session.awaitingUpload = null;
  session.next += 1;
  if (session.next >= session.skill.steps.length) {
    const tempToken = state.complete(session);
    return Response.json({ step_id: stepId, status: STATUS.completed, temp_token: tempToken, data: {} });
  }
  return Response.json({ step_id: stepId, nonce: state.issueNonce(session), status: STATUS.inProgress, data: {} });
}

/** The session, checked against the skill named in the call; a refusal otherwise. */
export function sessionForSkill(session: OnboardingSession | undefined, skill: string): OnboardingSession | Response {
  if (!session) return finqwareError('invalid_session_id', 'No session with this id.');
  if (!findSkill(skill)) return finqwareError('invalid_skill_name', 'This skill is not in the catalog.');
  if (session.skill.skill !== skill) return finqwareError('invalid_skill_name', 'This session was started for another skill.');
  return session;
}

const createSession = jsonRoute(
  routePattern(PATHS.sessions),
  { tenant_user_id: 'string', client_id: 'string', client_app_key: 'string', skill: 'string' },
  (body, { state, credentials }) => {
    const refused = checkTenantKeys(body, credentials);
    if (refused) return refused;
    const skill = findSkill(body.skill);
    if (!skill) return finqwareError('invalid_skill_name', 'This skill is not in the catalog.');
    const session = state.createSession(skill, body.tenant_user_id);
    return Response.json({ nonce: session.nonce?.value, session_id: session.id, status: STATUS.created });
  },
);

// Every refusal is a bare `{ message }`, as Finqware's docs show for this endpoint: body problems, bad
// data, a used or expired nonce (401), an unknown session (404), a step out of order (400).
const submitStep = answeringBare(
  jsonRoute(
    routePattern(PATHS.steps),
    { client_id: 'string', client_app_key: 'string?', nonce: 'string', skill: 'string', step: 'string', data: 'object' },
    (body, { state, credentials, params }) => {
      const refused = checkTenantKeys(body, credentials);
      if (refused) return refused;
      const session = sessionForSkill(state.findSession(params[0] ?? ''), body.skill);
      if (session instanceof Response) return session;

      const nonceRefused = state.checkNonce(session, body.nonce);
      if (nonceRefused) return finqwareError(nonceRefused.code, nonceRefused.message);

      const expected = session.skill.steps[session.next];
      if (session.awaitingUpload !== null && expected) {
        return finqwareError('invalid_step', `Step ${expected.step} awaits its file upload first.`);
      }
      if (!expected || body.step !== expected.step) {
        const known = session.skill.steps.some(({ step }) => step === body.step);
        return finqwareError('invalid_step', known ? `Steps go in order: the next one is ${expected?.step ?? 'none'}.` : 'This skill has no such step.');
      }

      const problem = stepDataProblem(expected.kind, body.data, state.now());
      if (problem) return bareError(problem);

      // Accepted: the nonce is spent by replacing it, in either branch below.
      const documentType = typeof body.data.document_type === 'string' ? body.data.document_type : undefined;
      const step = state.addStep(session, expected.step, expected.kind, uploadPages(expected.kind, documentType));
      if (needsUpload(expected.kind)) {
        session.awaitingUpload = step.id;
        return Response.json({ step_id: step.id, nonce: state.issueNonce(session), status: STATUS.inProgress, data: {} });
      }
      return stepCompleted(state, session, step.id);
    },
    'bare',
  ),
);

export const sessionRoutes: readonly Route[] = [createSession, submitStep];
