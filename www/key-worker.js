// The page's one key worker (worker.js): generates keys off the main thread for every tab.

let worker; // a promise of the worker, resolved once its module (and the wasm core) has loaded
let lastJob = 0;
const pendingJobs = new Map();

// Messages posted to a module worker before its top-level await finishes can be lost, so jobs are
// sent only after the worker said it is ready.
function keyWorker() {
  if (worker) return worker;
  worker = new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.addEventListener('message', (event) => {
      if (event.data?.ready) {
        resolve(w);
        return;
      }
      const job = pendingJobs.get(event.data?.id);
      if (!job) return;
      pendingJobs.delete(event.data.id);
      if (event.data.error) job.reject(Object.assign(new Error(event.data.error.message), { code: event.data.error.code, name: 'PkjwtError' }));
      else job.resolve(event.data);
    });
    w.addEventListener('error', (event) => {
      const error = new Error(`the key worker failed: ${event.message ?? 'unknown error'}`);
      for (const job of pendingJobs.values()) job.reject(error);
      pendingJobs.clear();
      worker = undefined;
      reject(error);
    });
  });
  return worker;
}

/** Generates a key in the worker: `request` is { alg, modulusLength?, kid? }; resolves to { jwk, ms }. */
export async function generateInWorker(request) {
  const w = await keyWorker();
  const id = ++lastJob;
  return new Promise((resolve, reject) => {
    pendingJobs.set(id, { resolve, reject });
    w.postMessage({ id, ...request });
  });
}
