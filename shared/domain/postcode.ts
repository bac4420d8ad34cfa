/**
 * UK postcodes. Routing works on the district (outward code), because a team's area is a list of
 * districts; the letters allowed in each position follow the Royal Mail format rules, so a typo
 * such as `LS1 4CP` or `QS1 1AA` is caught at intake rather than routed nowhere.
 */

const OUTWARD = '[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const POSTCODE = new RegExp(`^(${OUTWARD})(${INWARD})$`);
const DISTRICT = new RegExp(`^${OUTWARD}$`);

/** `ls14ap`, ` LS1  4AP ` → `LS1 4AP`; null when it is not shaped like a UK postcode. */
export function normalisePostcode(input: string): string | null {
  const match = POSTCODE.exec(input.replace(/\s+/g, '').toUpperCase());
  return match ? `${match[1]} ${match[2]}` : null;
}

/** The outward code of a normalised postcode: `LS1 4AP` → `LS1`, `SW1A 1AA` → `SW1A`. */
export function postcodeDistrict(normalised: string): string {
  // The inward code is always three characters, so this also works without the space.
  return normalised.slice(0, -3).trim();
}

/** ` ls1 ` → `LS1`; null when it is not shaped like a postcode district. */
export function normaliseDistrict(input: string): string | null {
  const district = input.trim().toUpperCase();
  return DISTRICT.test(district) ? district : null;
}
