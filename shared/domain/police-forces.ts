/** The 43 territorial police forces of England and Wales, and British Transport Police. */
export const policeForces = [
  'Avon and Somerset Constabulary',
  'Bedfordshire Police',
  'Cambridgeshire Constabulary',
  'Cheshire Constabulary',
  'City of London Police',
  'Cleveland Police',
  'Cumbria Constabulary',
  'Derbyshire Constabulary',
  'Devon and Cornwall Police',
  'Dorset Police',
  'Durham Constabulary',
  'Dyfed-Powys Police',
  'Essex Police',
  'Gloucestershire Constabulary',
  'Greater Manchester Police',
  'Gwent Police',
  'Hampshire and Isle of Wight Constabulary',
  'Hertfordshire Constabulary',
  'Humberside Police',
  'Kent Police',
  'Lancashire Constabulary',
  'Leicestershire Police',
  'Lincolnshire Police',
  'Merseyside Police',
  'Metropolitan Police Service',
  'Norfolk Constabulary',
  'North Wales Police',
  'North Yorkshire Police',
  'Northamptonshire Police',
  'Northumbria Police',
  'Nottinghamshire Police',
  'South Wales Police',
  'South Yorkshire Police',
  'Staffordshire Police',
  'Suffolk Constabulary',
  'Surrey Police',
  'Sussex Police',
  'Thames Valley Police',
  'Warwickshire Police',
  'West Mercia Police',
  'West Midlands Police',
  'West Yorkshire Police',
  'Wiltshire Police',
  'British Transport Police',
] as const;

export type PoliceForce = (typeof policeForces)[number];

const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const byKey = new Map<string, PoliceForce>(policeForces.map((force) => [key(force), force]));

/** The force's name as listed, matched regardless of case and spacing; null if it is not on the list. */
export function findPoliceForce(name: string): PoliceForce | null {
  return byKey.get(key(name)) ?? null;
}
