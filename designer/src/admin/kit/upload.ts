// A multipart upload that reports its progress. fetch() cannot tell how much of a request body has
// been sent, XMLHttpRequest's upload events can; the session's token and the API's error shape are
// the same as the ApiClient's.
import { ApiError, toApiError, type ApiClient } from '../../api/client.ts';

/** Sent fraction as a whole percentage (0–100); unknown totals count as nothing sent yet. */
export function percentOf(loaded: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((loaded / total) * 100)));
}

export function uploadWithProgress<T>(api: ApiClient, method: 'POST' | 'PUT', path: string, form: FormData, onProgress: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, api.baseUrl + path);
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    const token = api.tokens.get();
    if (token !== null) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(percentOf(e.loaded, e.total));
    });
    // The body is all sent even when the browser had no total to report along the way.
    xhr.upload.addEventListener('load', () => onProgress(100));
    xhr.addEventListener('load', () => {
      const body = xhr.response as unknown; // parsed by the browser (responseType 'json'); null when not JSON
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        if (xhr.status === 401) api.onUnauthenticated();
        reject(toApiError(xhr.status, body));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'NETWORK', 'The server cannot be reached', {})));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', 'The upload was cancelled', {})));
    xhr.send(form);
  });
}
