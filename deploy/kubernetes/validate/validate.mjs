// Validates Kubernetes manifests (a multi-document YAML stream on stdin, e.g. the output of
// `kubectl kustomize`) against the schemas of the Kubernetes API, offline: kubernetes-models
// carries a validator for every built-in kind, generated from the API's OpenAPI document.
// Prints the documents as one JSON array on stdout (for further checks by the caller); exits 1,
// with one line per problem on stderr, when a document is invalid or of a kind it does not know.
import { parseAllDocuments } from 'yaml';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const docs = parseAllDocuments(Buffer.concat(chunks).toString('utf8'))
  .map((doc) => {
    if (doc.errors.length > 0) throw new Error(`not YAML: ${doc.errors[0].message}`);
    return doc.toJS();
  })
  .filter((doc) => doc !== null);

const problems = [];
for (const doc of docs) {
  const name = `${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = String(doc.apiVersion).includes('/') ? doc.apiVersion.split('/') : [null, doc.apiVersion];
  const module = `kubernetes-models/${group ? `${group}/` : ''}${version}/${doc.kind}`;
  let Model;
  try {
    Model = (await import(module))[doc.kind];
  } catch {
    problems.push(`${name}: no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${name}: ${e.message}`);
  }
}
for (const p of problems) console.error(p);
process.stdout.write(JSON.stringify(docs));
process.exit(problems.length === 0 ? 0 : 1);
