import { httpHandler } from '../http/middleware.js';

/** GET /: the dashboard page (placeholder until the page is built). */
export const handler = httpHandler(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>长三角民生实事项目进展</title></html>',
}));
