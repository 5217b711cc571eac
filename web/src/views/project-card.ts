/** A project on the overview: its names and status, its metric, the region's bar and the provinces'. */
import type { ProjectWithProgress } from '../api-data.js';
import { type Lang, messagesFor } from '../i18n.js';
import { projectTone } from '../progress-model.js';
import { projectHash } from '../route.js';
import { h, type VElement } from '../vdom.js';
import { metricLine, projectNames, provincesView, regionView, statusBadge } from './widgets.js';

export const projectCard = (entry: ProjectWithProgress, lang: Lang): VElement => {
  const { project, progress } = entry;
  const t = messagesFor(lang);
  const nameId = `project-${project.id}-name`;
  return h(
    'article',
    {
      class: `card tone--${projectTone(progress)}`,
      key: project.id,
      'aria-labelledby': nameId,
      'data-project-id': project.id,
    },
    h(
      'header',
      { class: 'card-head' },
      h('div', { class: 'card-names' }, projectNames(project, 'h2', nameId, true)),
      statusBadge(progress.status, t),
    ),
    metricLine(project, lang),
    regionView(entry, lang, 'h3'),
    provincesView(entry, lang, 'h3'),
    h(
      'p',
      { class: 'card-foot' },
      h(
        'a',
        { href: projectHash(project.id), class: 'more-link', 'aria-label': t.detailsFor(project.name.zh) },
        t.viewDetails,
        h('span', { 'aria-hidden': 'true' }, ' →'),
      ),
    ),
  );
};
