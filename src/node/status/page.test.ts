import { describe, expect, it } from 'vitest';

import { renderStatusPage } from './page.js';
import { STATUS_JSON_PATH } from './page-script.js';
import { sampleView } from './testing/sample-view.js';

describe('renderStatusPage', () => {
  it('escapes every value: no markup from a peer id, a client version, an error or a stat', () => {
    const html = renderStatusPage(sampleView());
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain(`'"><b>`);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    // The one script is ours: a value cannot close it early.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });

  it('is self-contained and shows the figures without JavaScript', () => {
    const html = renderStatusPage(sampleView('peer'));
    // No external asset: no src, no stylesheet link, no absolute URL.
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/<link/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`fetch(PATH`);
    expect(html).toContain(JSON.stringify(STATUS_JSON_PATH));
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="10"></noscript>');
    expect(html).toContain('<div class="value" data-field="l2-latest">425</div>');
    expect(html).toContain('<div class="value" data-field="peer-count">14</div>');
    expect(html).toContain('<b data-field="percent">42.5%</b>');
    expect(html).toContain('ETA <b data-field="eta">2m 5s</b>');
    expect(html).toContain('<p class="note">and 13 more</p>');
    expect(html).toContain('<i class="cell missed" title="slot 1229: attest missed"></i>');
    expect(html).toContain('<i class="cell none" title="slot 1233: no duty"></i>');
  });
});
