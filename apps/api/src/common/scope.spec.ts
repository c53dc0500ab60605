import { DomainError } from './domain-error';
import { Scope } from './scope';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'OTHER';
  }
}

describe(Scope.name, () => {
  const province = Scope.ofActor({ provinceCode: 'soc-trang' });
  const national = Scope.ofActor({ provinceCode: '*' });

  it('does narrow a province token only to its own province', () => {
    expect(province.narrow(undefined)).toBe(province);
    expect(province.narrow('soc-trang').provinceCode).toBe('soc-trang');
    expect(codeOf(() => province.narrow('kien-giang'))).toBe('FORBIDDEN');
    expect(codeOf(() => province.narrow('*'))).toBe('FORBIDDEN');
  });

  it('does refuse an empty or oversized code with BAD_USER_INPUT, whoever asks', () => {
    for (const scope of [province, national]) {
      expect(codeOf(() => scope.narrow(''))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => scope.narrow('  '))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => scope.narrow('x'.repeat(101)))).toBe('BAD_USER_INPUT');
    }
  });

  it('does let a national token narrow to any province, or stay national with *', () => {
    expect(national.national).toBe(true);
    expect(national.narrow('kien-giang').provinceCode).toBe('kien-giang');
    expect(national.narrow('*').national).toBe(true);
    expect(national.includes('lang-son')).toBe(true);
    expect(province.includes('lang-son')).toBe(false);
  });
});
