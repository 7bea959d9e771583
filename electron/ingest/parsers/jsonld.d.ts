// The `jsonld` package ships no types; this declares the part Ontocat uses.
declare module 'jsonld' {
  interface RemoteDocument {
    readonly contextUrl: string | null;
    readonly documentUrl: string;
    readonly document: unknown;
  }
  interface ToRdfOptions {
    readonly base?: string;
    readonly documentLoader?: (url: string) => Promise<RemoteDocument>;
    readonly safe?: boolean;
  }
  interface JsonLd {
    toRDF(input: unknown, options?: ToRdfOptions): Promise<unknown>;
  }
  const jsonld: JsonLd;
  export default jsonld;
}
