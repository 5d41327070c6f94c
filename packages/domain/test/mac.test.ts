import { describe, expect, it } from 'vitest';
import { normalizeMac } from '../src/values/mac.js';

describe('normalizeMac', () => {
  it.each([
    ['aa:bb:cc:dd:ee:ff', 'aa:bb:cc:dd:ee:ff'],
    ['AA:BB:CC:DD:EE:FF', 'aa:bb:cc:dd:ee:ff'],
    ['AA-BB-CC-DD-EE-FF', 'aa:bb:cc:dd:ee:ff'],
    ['0a-1B-2c-3D-4e-5F', '0a:1b:2c:3d:4e:5f'],
    ['aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff'],
    ['AABB.CCDD.EEFF', 'aa:bb:cc:dd:ee:ff'],
    ['aabbccddeeff', 'aa:bb:cc:dd:ee:ff'],
    ['001122334455', '00:11:22:33:44:55'],
    ['  52:54:00:12:34:56\n', '52:54:00:12:34:56'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  it('gives the same address for all four notations', () => {
    const forms = ['52:54:00:ab:cd:ef', '52-54-00-AB-CD-EF', '5254.00ab.cdef', '525400ABCDEF'].map(normalizeMac);
    expect(new Set(forms)).toEqual(new Set(['52:54:00:ab:cd:ef']));
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   \t\n'],
    ['mixed separators', 'aa:bb-cc:dd:ee:ff'],
    ['mixed separators (dash first)', 'aa-bb:cc-dd:ee-ff'],
    ['five octets', 'aa:bb:cc:dd:ee'],
    ['seven octets', 'aa:bb:cc:dd:ee:ff:00'],
    ['a one-digit octet', 'a:bb:cc:dd:ee:ff'],
    ['a three-digit octet', 'aaa:bb:cc:dd:ee:ff'],
    ['a trailing separator', 'aa:bb:cc:dd:ee:ff:'],
    ['a leading separator', ':aa:bb:cc:dd:ee:ff'],
    ['non-hex digits', 'gg:hh:ii:jj:kk:ll'],
    ['one non-hex digit', 'aa:bb:cc:dd:ee:fg'],
    ['11 bare digits', 'aabbccddeef'],
    ['13 bare digits', 'aabbccddeeff0'],
    ['bare non-hex', 'aabbccddeefz'],
    ['dots between octets', 'aa.bb.cc.dd.ee.ff'],
    ['colons between groups of four', 'aabb:ccdd:eeff'],
    ['dashes between groups of four', 'aabb-ccdd-eeff'],
    ['two dotted groups', 'aabb.ccdd'],
    ['four dotted groups', 'aabb.ccdd.eeff.0011'],
    ['inner whitespace', 'aa:bb:cc: dd:ee:ff'],
    ['a hex prefix', '0xaabbccddeeff'],
    ['spaces as separators', 'aa bb cc dd ee ff'],
    ['a hostname', 'swift-otter'],
  ])('refuses %s (%j)', (_label, input) => {
    expect(normalizeMac(input)).toBeNull();
  });
});
