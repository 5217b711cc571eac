/** How many milestones a page of the history holds: by default, at most as JSON, at most as CSV. */
export const MILESTONE_PAGE_DEFAULT = 50;
export const MILESTONE_PAGE_MAX = 200;
export const MILESTONE_CSV_PAGE_MAX = 5000;
