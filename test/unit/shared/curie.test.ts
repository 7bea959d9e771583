import { describe, expect, it } from 'vitest';
import { curieOf, termIdent } from '../../../electron/shared/curie.js';

describe('curieOf', () => {
  it('turns OBO PURLs, EDAM IRIs and known vocabularies into CURIEs, and keeps OBO ids', () => {
    expect(curieOf('http://purl.obolibrary.org/obo/GO_0008150')).toBe('GO:0008150');
    expect(curieOf('http://edamontology.org/data_0006')).toBe('EDAM_data:0006');
    expect(curieOf('http://schema.org/Person')).toBe('schema:Person');
    expect(curieOf('http://www.w3.org/2002/07/owl#Thing')).toBe('owl:Thing');
    expect(curieOf('GO:0008150')).toBe('GO:0008150');
  });

  it('gives no CURIE where no prefix is known, and the id stays the identity', () => {
    expect(curieOf('http://example.org/onto/T1')).toBeNull();
    expect(curieOf('https://example.org/x')).toBeNull();
    expect(curieOf('urn:uuid:1234')).toBeNull();
    expect(termIdent('http://example.org/onto/T1')).toBe('http://example.org/onto/T1');
  });
});
