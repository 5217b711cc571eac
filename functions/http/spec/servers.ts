/**
 * The `servers` entry of the API description: the committed copy names the local runtime, the
 * served one the API that serves it. Apart from the spec so that GET /openapi.json, which serves
 * the committed copy, loads none of the schemas it was built from.
 */
export const LOCAL_SERVER_URL = 'http://localhost:3000';

export const serversEntry = (serverUrl?: string) =>
  serverUrl === undefined
    ? [{ url: LOCAL_SERVER_URL, description: 'The local runtime (`npm start`)' }]
    : [{ url: serverUrl, description: 'The API that serves this document' }];
