import { describe, it, expect } from 'vitest';
import { policeForces, referralPostcode, validateReferral, type ReferralSubmission } from '../../../shared/domain/referral-schema.ts';

const now = new Date('2025-11-26T02:00:00Z');

const webBody = () => ({
  referrer: {
    name: 'Dr Priya Shah',
    kind: 'gp',
    organisation: 'Park Lane Surgery',
    phone: '0113 496 0000',
  },
  subject: {
    givenName: 'Alex',
    familyName: 'Example',
    dateOfBirth: '1990-04-12',
    nhsNumber: '943 476 5919',
    currentLocation: { kind: 'emergency_department', postcode: 'ls1 4ap' },
  },
  legal: { status: 'none' },
  reason: 'Acutely unwell, refusing admission.',
  urgency: 'within_4_hours',
});

const phoneBody = () => ({
  channel: 'phone',
  callbackPhone: '07700 900123',
  currentLocation: { postcode: 'SW1A1AA' },
  legal: { status: 's136', detentionStart: '2025-11-26T01:10:00+00:00' },
  urgency: 'immediate',
});

type Body = Record<string, unknown> & ReturnType<typeof webBody>;

function issuesOf(body: unknown) {
  const result = validateReferral(body, now);
  if (result.ok) throw new Error('expected the body to be refused');
  return result.issues;
}

function valueOf(body: unknown): ReferralSubmission {
  const result = validateReferral(body, now);
  if (!result.ok) throw new Error(`expected the body to validate: ${JSON.stringify(result.issues)}`);
  return result.value;
}

const withChange = (change: (body: Body) => void): Body => {
  const body = webBody() as Body;
  change(body);
  return body;
};

describe('web referral', () => {
  it('accepts a complete referral and marks it channel web', () => {
    const value = valueOf(webBody());
    expect(value.channel).toBe('web');
    expect(value).toMatchObject({ referrer: { phone: '+441134960000' }, risks: [] });
  });

  it('accepts channel web given explicitly', () => {
    expect(valueOf({ ...webBody(), channel: 'web' }).channel).toBe('web');
  });

  it('normalises the NHS number, postcode and phone numbers', () => {
    const value = valueOf(webBody());
    if (value.channel !== 'web') throw new Error('web expected');
    expect(value.subject.nhsNumber).toBe('9434765919');
    expect(value.subject.currentLocation.postcode).toBe('LS1 4AP');
  });

  it('trims strings', () => {
    const value = valueOf(withChange((b) => (b.subject.givenName = '  Alex  ')));
    expect(value.channel === 'web' && value.subject.givenName).toBe('Alex');
  });

  it('reports every missing required field at once, with dot paths', () => {
    const paths = issuesOf({ referrer: {}, subject: { currentLocation: {} }, legal: {} }).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'referrer.name',
        'referrer.kind',
        'referrer.phone',
        'subject.givenName',
        'subject.dateOfBirth',
        'subject.currentLocation.postcode',
        'subject.nhsNumberUnknownReason',
        'legal.status',
        'reason',
        'urgency',
      ]),
    );
  });

  it('says a required field "is required"', () => {
    expect(issuesOf(withChange((b) => delete (b as Partial<Body>).reason))).toContainEqual({ path: 'reason', message: 'is required' });
  });

  it('refuses an empty or whitespace-only required string', () => {
    expect(issuesOf(withChange((b) => (b.referrer.name = '   ')))).toContainEqual({ path: 'referrer.name', message: 'must not be empty' });
  });

  it('refuses a reason longer than 4000 characters', () => {
    expect(issuesOf(withChange((b) => (b.reason = 'x'.repeat(4001))))).toContainEqual({
      path: 'reason',
      message: 'must be at most 4000 characters',
    });
  });

  it('reports an unknown key at its own path, so a typo is found', () => {
    expect(issuesOf({ ...webBody(), urgncy: 'immediate' })).toContainEqual({ path: 'urgncy', message: 'is not a recognised field' });
    const nested = withChange((b) => Object.assign(b.subject, { nhsNo: '9434765919' }));
    expect(issuesOf(nested)).toContainEqual({ path: 'subject.nhsNo', message: 'is not a recognised field' });
  });

  it('lists the allowed values of an enum', () => {
    expect(issuesOf(withChange((b) => (b.urgency = 'soon')))).toContainEqual({
      path: 'urgency',
      message: 'must be one of: immediate, within_4_hours, within_24_hours',
    });
  });

  it('refuses a body that is not an object', () => {
    expect(issuesOf('hello')).toEqual([{ path: '', message: 'must be an object' }]);
    expect(issuesOf(null)).toEqual([{ path: '', message: 'must be an object' }]);
  });

  describe('NHS number', () => {
    it('reports a wrong check digit', () => {
      expect(issuesOf(withChange((b) => (b.subject.nhsNumber = '943 476 5918')))).toEqual([
        { path: 'subject.nhsNumber', message: 'is not a valid NHS number (the check digit does not match)' },
      ]);
    });

    it('reports a number that is not 10 digits', () => {
      expect(issuesOf(withChange((b) => (b.subject.nhsNumber = '12345')))).toEqual([
        { path: 'subject.nhsNumber', message: 'must be a 10-digit NHS number, e.g. 943 476 5919' },
      ]);
    });

    it('requires a reason it is unknown when no NHS number is given, naming the field', () => {
      const body = withChange((b) => delete (b.subject as Partial<Body['subject']>).nhsNumber);
      expect(issuesOf(body)).toEqual([{ path: 'subject.nhsNumberUnknownReason', message: 'is required when nhsNumber is not given' }]);
    });

    it('accepts a reason instead of the number, treating an empty number as not given', () => {
      const body = withChange((b) => Object.assign(b.subject, { nhsNumber: '', nhsNumberUnknownReason: 'not known to services' }));
      const value = valueOf(body);
      expect(value.channel === 'web' && value.subject.nhsNumber).toBeUndefined();
    });
  });

  describe('date of birth', () => {
    it.each([
      ['12/04/1990', 'must be a real date written YYYY-MM-DD'],
      ['1990-02-30', 'must be a real date written YYYY-MM-DD'],
      ['2025-11-27', 'must not be in the future'],
      ['1899-12-31', 'must not be before 1900'],
    ])('refuses %s', (dateOfBirth, message) => {
      expect(issuesOf(withChange((b) => (b.subject.dateOfBirth = dateOfBirth)))).toEqual([{ path: 'subject.dateOfBirth', message }]);
    });

    it('accepts 29 February in a leap year', () => {
      expect(validateReferral(withChange((b) => (b.subject.dateOfBirth = '2024-02-29')), now).ok).toBe(true);
    });

    it('judges "the future" by the time each validation is given, one after another on the same schema', () => {
      const body = withChange((b) => (b.subject.dateOfBirth = '2025-11-27'));
      expect(validateReferral(body, now).ok).toBe(false);
      expect(validateReferral(body, new Date('2025-11-27T09:00:00Z')).ok).toBe(true);
      expect(validateReferral(body, now).ok).toBe(false);
    });

    it('accepts a baby born today in England even when it is still yesterday in UTC', () => {
      const justAfterMidnightBst = new Date('2025-06-01T23:30:00Z'); // 00:30 on 2 June in London
      const body = withChange((b) => (b.subject.dateOfBirth = '2025-06-02'));
      expect(validateReferral(body, justAfterMidnightBst).ok).toBe(true);
    });
  });

  describe('police referrer', () => {
    const police = (extra: Record<string, unknown>) =>
      withChange((b) => Object.assign(b.referrer, { kind: 'police', organisation: 'Leeds custody', ...extra }));

    it('lists the 43 territorial forces of England and Wales and British Transport Police', () => {
      expect(policeForces).toHaveLength(44);
      expect(policeForces).toContain('West Yorkshire Police');
      expect(policeForces).toContain('British Transport Police');
      expect(new Set(policeForces).size).toBe(44);
    });

    it('requires the force and the collar number', () => {
      expect(issuesOf(police({}))).toEqual([
        { path: 'referrer.policeForce', message: 'is required when kind is police' },
        { path: 'referrer.collarNumber', message: 'is required when kind is police' },
      ]);
    });

    it('takes the force by name regardless of case and spacing, and stores it as listed', () => {
      const value = valueOf(police({ policeForce: ' west  yorkshire police', collarNumber: 'WY1234' }));
      expect(value.channel === 'web' && value.referrer.policeForce).toBe('West Yorkshire Police');
    });

    it('refuses a force that is not on the list', () => {
      const issues = issuesOf(police({ policeForce: 'Police Scotland', collarNumber: '1234' }));
      expect(issues.map((i) => i.path)).toEqual(['referrer.policeForce']);
    });

    it('refuses a collar number longer than 20 characters', () => {
      const issues = issuesOf(police({ policeForce: 'Kent Police', collarNumber: '1'.repeat(21) }));
      expect(issues).toEqual([{ path: 'referrer.collarNumber', message: 'must be at most 20 characters' }]);
    });
  });

  describe('phone numbers', () => {
    it('accepts a landline for the referrer and stores it as E.164', () => {
      const value = valueOf(webBody());
      expect(value.channel === 'web' && value.referrer.phone).toBe('+441134960000');
    });

    it('says the phone must be a UK phone number', () => {
      const issues = issuesOf(withChange((b) => (b.referrer.phone = '+33 6 12 34 56 78')));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path: 'referrer.phone', message: expect.stringMatching(/^must be a UK phone number/) });
    });

    it('normalises the nearest relative phone', () => {
      const value = valueOf({ ...webBody(), nearestRelative: { name: 'Sam Example', relationship: 'mother', phone: '07700 900123' } });
      expect(value.channel === 'web' && value.nearestRelative?.phone).toBe('+447700900123');
    });
  });

  describe('current location', () => {
    it('says a bad postcode is not a valid UK postcode', () => {
      expect(issuesOf(withChange((b) => (b.subject.currentLocation.postcode = 'LS1')))).toEqual([
        { path: 'subject.currentLocation.postcode', message: 'is not a valid UK postcode' },
      ]);
    });

    it('refuses an unknown location kind', () => {
      expect(issuesOf(withChange((b) => (b.subject.currentLocation.kind = 'car'))).map((i) => i.path)).toEqual(['subject.currentLocation.kind']);
    });
  });

  describe('legal status and detention start', () => {
    it.each([
      ['s5_2', 'reportFurnishedAt'],
      ['s5_4', 'recordMadeAt'],
    ])('requires the start event (or v1 detentionStart) for %s', (status, field) => {
      expect(issuesOf(withChange((b) => (b.legal = { status })))).toEqual([
        { path: `legal.${field}`, message: `is required when status is ${status} (or detentionStart, contract v1)` },
      ]);
    });

    // MHA 1983 s136(2A), s135(3ZA): the clock is pending until arrival; s135(1) may be "we need a warrant".
    it.each(['s136', 's135_1', 's135_2'])('accepts %s before arrival at a place of safety', (status) => {
      expect(validateReferral(withChange((b) => (b.legal = { status })), now).ok).toBe(true);
    });

    it.each(['none', 's2', 's3', 'other'])('does not require a detention start for %s', (status) => {
      expect(validateReferral(withChange((b) => (b.legal = { status })), now).ok).toBe(true);
    });

    it('normalises the detention start to UTC', () => {
      const value = valueOf(withChange((b) => Object.assign(b.legal, { status: 's136', detentionStart: '2025-11-26T01:40+00:00' })));
      expect(value.legal).toEqual({ status: 's136', detentionStart: '2025-11-26T01:40:00.000Z' });
    });

    it('refuses a detention start without a UTC offset', () => {
      const issues = issuesOf(withChange((b) => Object.assign(b.legal, { status: 's136', detentionStart: '2025-11-26T01:40:00' })));
      expect(issues).toEqual([{ path: 'legal.detentionStart', message: 'must be a date and time with a UTC offset, e.g. 2025-11-25T21:40:00Z' }]);
    });

    it('refuses a detention start in the future, allowing a few minutes of clock drift', () => {
      const at = (t: string) => withChange((b) => Object.assign(b.legal, { status: 's136', detentionStart: t }));
      expect(validateReferral(at('2025-11-26T02:04:00Z'), now).ok).toBe(true);
      expect(issuesOf(at('2025-11-26T03:00:00Z'))).toEqual([{ path: 'legal.detentionStart', message: 'must not be in the future' }]);
    });
  });

  describe('risks', () => {
    it('defaults to none', () => {
      expect(valueOf(webBody())).toMatchObject({ risks: [] });
    });

    it('reports a bad risk by its index', () => {
      expect(issuesOf({ ...webBody(), risks: ['violence', ' '] })).toEqual([{ path: 'risks.1', message: 'must not be empty' }]);
    });
  });

  it('never echoes a submitted value in a message', () => {
    const secret = 'Zebedee-Secret';
    const body = {
      referrer: { name: secret, kind: secret, organisation: secret, phone: secret, policeForce: secret },
      subject: {
        givenName: secret.repeat(20),
        familyName: 5,
        dateOfBirth: secret,
        nhsNumber: secret,
        currentLocation: { kind: secret, postcode: secret },
        interpreterLanguage: [secret],
      },
      legal: { status: secret, detentionStart: secret },
      reason: secret,
      urgency: secret,
      [secret]: secret,
    };
    const issues = issuesOf(body);
    expect(issues.length).toBeGreaterThan(8);
    for (const issue of issues) expect(issue.message).not.toContain('Zebedee');
  });
});

describe('phone referral', () => {
  it('accepts the minimal referral a telephony platform sends', () => {
    const value = valueOf(phoneBody());
    expect(value).toEqual({
      channel: 'phone',
      callbackPhone: '+447700900123',
      currentLocation: { postcode: 'SW1A 1AA' },
      legal: { status: 's136', detentionStart: '2025-11-26T01:10:00.000Z' },
      urgency: 'immediate',
    });
  });

  it('refuses anything beyond the minimal fields', () => {
    expect(issuesOf({ ...phoneBody(), subject: { givenName: 'Alex' } })).toEqual([{ path: 'subject', message: 'is not a recognised field' }]);
  });

  it('applies the detention start rule too', () => {
    expect(issuesOf({ ...phoneBody(), legal: { status: 's5_2' } })).toEqual([
      { path: 'legal.reportFurnishedAt', message: 'is required when status is s5_2 (or detentionStart, contract v1)' },
    ]);
  });

  it('refuses a channel that is neither web nor phone', () => {
    expect(issuesOf({ ...webBody(), channel: 'fax' })).toContainEqual({ path: 'channel', message: 'must be web or phone' });
  });
});

describe('where the person is now', () => {
  it('is the current-location postcode of either channel, normalised', () => {
    expect([referralPostcode(valueOf(webBody())), referralPostcode(valueOf(phoneBody()))]).toEqual(['LS1 4AP', 'SW1A 1AA']);
  });
});
