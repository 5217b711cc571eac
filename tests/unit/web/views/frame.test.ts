import { describe, expect, it } from 'vitest';
import { findAll, textOf, type VElement } from '../../../../web/src/vdom.js';
import { appView } from '../../../../web/src/views/frame.js';
import { byClass, railWithProgress, root, viewState } from './view-fixtures.js';

describe('the page frame', () => {
  it('has a skip link, a banner, a main region and a footer', () => {
    const tags = appView(viewState({})).map((node) => (typeof node === 'string' ? node : node.tag));
    expect(tags).toEqual(['a', 'header', 'main', 'footer']);
  });

  it('shows the API’s problem in an alert', () => {
    const frame = root(
      appView(viewState({ problem: { status: 503, title: 'Service unavailable', detail: 'Retry later.' } })),
    );
    const [alert] = findAll(frame, (el) => el.attrs.role === 'alert');
    expect(textOf(alert as VElement)).toContain('Service unavailable：Retry later.');
    expect(textOf(alert as VElement)).toContain('HTTP 503');
  });

  it('shows the overview or the project page the route names', () => {
    const overview = root(appView(viewState({})));
    expect(byClass(overview, 'card').map((card) => card.attrs['data-project-id'])).toEqual(['rail-2024']);
    expect(byClass(overview, 'project')).toEqual([]);

    const project = root(
      appView(
        viewState({
          route: { view: 'project', projectId: 'rail-2024' },
          detail: { ...railWithProgress(), milestones: [], truncated: false },
        }),
      ),
    );
    expect(byClass(project, 'card')).toEqual([]);
    expect(textOf(findAll(project, (el) => el.tag === 'h1')[0] as VElement)).toBe('建设轨道上的长三角');
  });
});
