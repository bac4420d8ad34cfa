import { describe, expect, it } from 'vitest';
import { validateStaff } from '../../../shared/domain/admin-schemas.ts';

const asha = { name: 'Asha Patel', phone: '07700 900101', teamIds: ['leeds-edt'], roles: ['amhp'] };

describe('a staff member (PUT /api/staff/{staffId})', () => {
  it("may be marked as having children's services experience", () => {
    expect(validateStaff('amhp-asha', { ...asha, childrenServicesExperience: true })).toMatchObject({ ok: true, value: { id: 'amhp-asha', childrenServicesExperience: true } });
  });

  it('needs no such mark, and stores none when it is left out', () => {
    const result = validateStaff('amhp-asha', asha);
    expect(result.ok && result.value).not.toHaveProperty('childrenServicesExperience');
  });

  it('names the field when the mark is not true or false', () => {
    expect(validateStaff('amhp-asha', { ...asha, childrenServicesExperience: 'yes' })).toMatchObject({ ok: false, issues: [{ path: 'childrenServicesExperience' }] });
  });
});
