/**
 * England and Wales bank holidays, shipped as data in the shape gov.uk publishes at
 * https://www.gov.uk/bank-holidays.json (one division kept). 2025–2027 are the published dates;
 * later years follow the statutory pattern (substitute days included) until gov.uk publishes
 * them, and a one-off holiday by royal proclamation must be added to the file by hand.
 */
import data from './bank-holidays.json' with { type: 'json' };

export interface BankHoliday {
  title: string;
  /** London local date, `YYYY-MM-DD`. */
  date: string;
  notes: string;
  bunting: boolean;
}

export const englandAndWalesBankHolidays: readonly BankHoliday[] = data['england-and-wales'].events;

const dates = new Set(englandAndWalesBankHolidays.map((holiday) => holiday.date));
const years = new Set(englandAndWalesBankHolidays.map((holiday) => Number(holiday.date.slice(0, 4))));

export const isBankHoliday = (localDate: string) => dates.has(localDate);

/** Whether the data covers a year at all: outside it, every day would look like a working day. */
export const bankHolidaysKnownFor = (year: number) => years.has(year);
