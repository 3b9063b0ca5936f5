import type { AccountKind } from './accounts';
import { between, oneOf } from './derive';

// What moves on each kind of account at the sandbox bank, in a French bank's words: card payments
// ("CB CARREFOUR 12/03"), direct debits ("PRLV SEPA EDF"), transfers in and out ("VIR SEPA RECU /DE …"),
// fees ("FRAIS BANCAIRES"). Upper case without accents, as statements print them. Every choice here is
// [ours]: Finqware's documents show one transaction, labelled "Currency payment or withdrawal".

/** One movement: its side, its size in whole cents (> 0) and the bank's label (`info`). */
export interface Movement {
  side: 'credit' | 'debit';
  cents: number;
  info: string;
}

type Draw = () => number;

/** What a scheduled movement is drawn from: the account's own draws (fixed for the account) and this month's. */
export interface ScheduleContext {
  /** Draws seeded by the account and the item alone: the same every month (a rent, the staff). */
  account: Draw;
  /** Draws seeded by the account, the item and the month: what changes from month to month. */
  month: Draw;
  /** The month, 0-11, and its year. */
  monthIndex: number;
  year: number;
  /** What the account's occasional debits came to over the previous month, in cents (a card's statement). */
  previousMonthDebits(): number;
}

interface Scheduled {
  /** Day of the month, at most 26 so that a weekend's shift to the Monday stays in the month. */
  day: number;
  movements(context: ScheduleContext): Movement[];
}

interface Occasional {
  weight: number;
  /** `bookedMs` is when the bank books it; a card payment's label names the day it was made. */
  movement(draw: Draw, bookedMs: number): Movement;
}

export interface Profile {
  scheduled: readonly Scheduled[];
  occasional: readonly Occasional[];
  /** How many occasional movements a day brings, [min, max], on a weekday and on a weekend day. */
  perDay: { weekday: readonly [number, number]; weekend: readonly [number, number] };
}

export const MONTHS = ['JANVIER', 'FEVRIER', 'MARS', 'AVRIL', 'MAI', 'JUIN', 'JUILLET', 'AOUT', 'SEPTEMBRE', 'OCTOBRE', 'NOVEMBRE', 'DECEMBRE'];

const DAY_MS = 24 * 60 * 60 * 1000;
const pad = (value: number) => String(value).padStart(2, '0');

/** "12/03": the day a card was used, up to two days before the bank books it. */
function cardDay(draw: Draw, bookedMs: number): string {
  const day = new Date(bookedMs - between(draw, 0, 2) * DAY_MS);
  return `${pad(day.getUTCDate())}/${pad(day.getUTCMonth() + 1)}`;
}

const SHOPS = ['CARREFOUR', 'MONOPRIX', 'LEROY MERLIN', 'BUREAU VALLEE', 'CASTORAMA', 'METRO', 'TOTALENERGIES', 'LA POSTE', 'IKEA', 'BOULANGERIE PAUL'];
const TRAVEL_AND_SOFTWARE = [
  'SNCF',
  'AIR FRANCE',
  'TOTALENERGIES',
  'UBER',
  'RESTAURANT LE CANTAL',
  'AMAZON EU',
  'GOOGLE CLOUD',
  'OVHCLOUD',
  'ADOBE',
  'HOTEL IBIS',
  'FNAC',
];
const CLIENTS = ['SARL DUPONT ET FILS', 'SAS ATELIER MOREAU', 'BOULANGERIE MARTIN', 'CABINET LEROY', 'EURL PETIT DESIGN', 'GARAGE BERNARD', 'SAS NOVALYS'];
const SUPPLIERS = ['METRO FRANCE', 'RAJA', 'LYRECO FRANCE', 'FIDUCIAL EXPERTISE', 'TRANSPORTS GIRARD', 'IMPRIMERIE ROUX', 'MANUTAN'];
const STAFF = ['M. THOMAS ROBERT', 'MME JULIE RICHARD', 'M. NICOLAS DURAND', 'MME CAMILLE FOURNIER', 'M. LUCAS LEFEBVRE'];
const TOWNS = ['PARIS 11', 'LYON 2', 'NANTES', 'BORDEAUX', 'LILLE', 'TOULOUSE'];

const debit = (cents: number, info: string): Movement => ({ side: 'debit', cents, info });
const credit = (cents: number, info: string): Movement => ({ side: 'credit', cents, info });

/** A direct debit of a fixed creditor whose amount varies from month to month. */
function directDebit(day: number, creditor: string, min: number, max: number): Scheduled {
  return { day, movements: ({ month }) => [debit(between(month, min, max), `PRLV SEPA ${creditor}`)] };
}

const current: Profile = {
  scheduled: [
    { day: 1, movements: () => [debit(2490, 'FRAIS BANCAIRES')] },
    {
      day: 2,
      movements: ({ account, monthIndex }) => [
        debit(between(account, 900, 2500) * 100, `VIR SEPA EMIS /BENEF SCI LES TILLEULS /MOTIF LOYER ${MONTHS[monthIndex]}`),
      ],
    },
    directDebit(5, 'EDF', 6_000, 32_000),
    directDebit(8, 'ORANGE', 3_999, 8_999),
    {
      day: 10,
      movements: ({ account, month, monthIndex }) => [
        credit(between(month, 600_000, 1_200_000), `VIR SEPA RECU /DE ${oneOf(account, CLIENTS)} /MOTIF ABONNEMENT ${MONTHS[monthIndex]}`),
      ],
    },
    directDebit(12, 'AXA FRANCE IARD', 8_000, 22_000),
    directDebit(15, 'URSSAF', 90_000, 260_000),
    directDebit(20, 'DGFIP TVA', 60_000, 350_000),
    {
      day: 26,
      // The same staff every month, each on the same pay.
      movements: ({ account, monthIndex, year }) =>
        STAFF.slice(0, between(account, 2, 4)).map((name) =>
          debit(between(account, 1_700, 3_400) * 100, `VIR SEPA EMIS /BENEF ${name} /MOTIF SALAIRE ${MONTHS[monthIndex]} ${year}`),
        ),
    },
  ],
  occasional: [
    { weight: 45, movement: (draw, at) => debit(between(draw, 350, 18_000), `CB ${oneOf(draw, SHOPS)} ${cardDay(draw, at)}`) },
    {
      weight: 14,
      movement: (draw) => debit(between(draw, 15_000, 400_000), `VIR SEPA EMIS /BENEF ${oneOf(draw, SUPPLIERS)} /REF ${between(draw, 100_000, 999_999)}`),
    },
    {
      weight: 12,
      movement: (draw, at) =>
        credit(
          between(draw, 20_000, 350_000),
          `VIR SEPA RECU /DE ${oneOf(draw, CLIENTS)} /MOTIF FACTURE F${new Date(at).getUTCFullYear()}-${String(between(draw, 1, 9999)).padStart(4, '0')}`,
        ),
    },
    { weight: 8, movement: (draw, at) => credit(between(draw, 8_000, 180_000), `REMISE CB ${cardDay(draw, at)}`) },
    { weight: 3, movement: (draw) => credit(between(draw, 5_000, 250_000), `REMISE CHEQUE N°${between(draw, 1_000_000, 9_999_999)}`) },
    { weight: 6, movement: (draw, at) => debit(between(draw, 2, 30) * 1_000, `RETRAIT DAB ${cardDay(draw, at)} ${oneOf(draw, TOWNS)}`) },
    { weight: 2, movement: () => debit(800, "COMMISSION D'INTERVENTION") },
  ],
  perDay: { weekday: [1, 2], weekend: [0, 1] },
};

// Cash sweeping between the current account and this one, every working day (more often out than in: the
// company lives on its savings), and the interest it earns.
const savings: Profile = {
  scheduled: [{ day: 1, movements: ({ month }) => [credit(between(month, 200, 4_000), 'INTERETS CREDITEURS')] }],
  occasional: [
    { weight: 40, movement: (draw) => credit(between(draw, 10_000, 150_000), 'VIR SEPA INTERNE BALAYAGE DEPUIS COMPTE COURANT') },
    { weight: 60, movement: (draw) => debit(between(draw, 10_000, 150_000), 'VIR SEPA INTERNE BALAYAGE VERS COMPTE COURANT') },
  ],
  perDay: { weekday: [1, 1], weekend: [0, 0] },
};

// Card payments, and each month's statement paid off in full on the 5th.
const card: Profile = {
  scheduled: [
    {
      day: 5,
      movements: ({ monthIndex, previousMonthDebits }) => {
        const owed = previousMonthDebits();
        return owed > 0 ? [credit(owed, `REGLEMENT RELEVE CARTE ${MONTHS[(monthIndex + 11) % 12]}`)] : [];
      },
    },
  ],
  occasional: [{ weight: 1, movement: (draw, at) => debit(between(draw, 490, 25_000), `CB ${oneOf(draw, TRAVEL_AND_SOFTWARE)} ${cardDay(draw, at)}`) }],
  perDay: { weekday: [0, 2], weekend: [0, 1] },
};

export const PROFILES: Record<AccountKind, Profile> = { current, savings, card };

/** One of a profile's occasional movements, picked by weight. */
export function occasionalMovement(profile: Profile, draw: Draw, bookedMs: number): Movement {
  const total = profile.occasional.reduce((sum, { weight }) => sum + weight, 0);
  let ticket = draw() % total;
  for (const item of profile.occasional) {
    if (ticket < item.weight) return item.movement(draw, bookedMs);
    ticket -= item.weight;
  }
  throw new Error('unreachable: the tickets cover every weight');
}
