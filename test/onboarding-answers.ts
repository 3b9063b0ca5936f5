// What a user types in the card wizard's form steps, shared by the onboarding tests.
export const PRODUCT = { amount: '100000', currency: 'EUR', period: '12' };
export const PERSON = {
  firstName: 'Camille',
  lastName: 'Martin',
  dateOfBirth: '1985-04-23',
  nationality: 'FR',
  addressLine1: '12 rue de la Paix',
  addressLine2: '',
  city: 'Paris',
  postalCode: '75002',
  addressCountry: 'FR',
};
