import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DetailsPane } from './details-pane';
import { de, en } from './tree-strings';
import { file, folder } from './test-support';

afterEach(cleanup);

function facts(): Record<string, string> {
  const out: Record<string, string> = {};
  const dts = screen.queryAllByRole('term');
  const dds = screen.queryAllByRole('definition');
  dts.forEach((dt, i) => (out[dt.textContent ?? ''] = dds[i]?.textContent ?? ''));
  return out;
}

describe('DetailsPane', () => {
  it("says kinds in words, counts a folder's items, wraps paths at separators, totals a multiple selection", () => {
    const deck = file('p', 'x', 'Pitch.pptx', {
      mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    });
    const { rerender, container } = render(<DetailsPane node={deck} selectedCount={1} labels={en} locale="en" />);
    expect(facts().Type).toBe('PowerPoint presentation');
    rerender(<DetailsPane node={file('i', 'x', 'Logo.png')} selectedCount={1} labels={de} locale="de" />);
    expect(facts().Typ).toBe('PNG-Bild');
    const dir = folder('d', 'x', 'Team', { details: { path: '/Common documents/Team' } });
    rerender(<DetailsPane node={dir} selectedCount={1} itemCount={12} labels={en} locale="en" />);
    expect(facts().Type).toBe('Folder, 12 items');
    expect(container.querySelectorAll('dd wbr')).toHaveLength(2);
    rerender(
      <DetailsPane
        node={null}
        selectedCount={3}
        totals={{ count: 3, bytes: 12_500_000, sizeUnknown: false }}
        labels={en}
        locale="en"
      />,
    );
    expect(screen.getByText('3 items selected, 12.5 MB')).toBeTruthy();
    rerender(
      <DetailsPane
        node={null}
        selectedCount={1200}
        totals={{ count: 1200, bytes: 5000, sizeUnknown: true }}
        labels={de}
        locale="de"
      />,
    );
    // Counts as written in Switzerland (23.6): 1'200 (the runtime's CLDR gives ' or ’).
    expect(screen.getByText(/^1['’]200 Elemente ausgewählt, mindestens 5 kB$/)).toBeTruthy();
  });

  it('shows size, dates, format and main’s facts (path, account, drive) for one node', () => {
    const node = file('f', 'p', 'report.pdf', {
      size: 2_500_000,
      modifiedAt: Date.UTC(2025, 4, 6, 7, 8),
      createdAt: Date.UTC(2024, 0, 1),
      mimeType: 'application/pdf',
      details: { path: '/Team/report.pdf', account: 'ACME (42)', drive: 'Team', custom: 'kept' },
    });
    render(<DetailsPane node={node} selectedCount={1} labels={en} locale="en" />);
    expect(screen.getByRole('region', { name: 'Details' })).toBeTruthy();
    const f = facts();
    expect(f).toMatchObject({
      Name: 'report.pdf',
      Type: 'PDF document', // in words, not the MIME type
      Size: '2.5 MB',
      'Path in kDrive': '/Team/report.pdf',
      Account: 'ACME (42)',
      Drive: 'Team',
      custom: 'kept',
    });
    expect(f.Modified).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short' }).format(Date.UTC(2025, 4, 6, 7, 8)),
    );
    expect(f.Created).toBeTruthy();
  });

  it('shows where an item without a path in kDrive is (its location), and one Status, not two (23.7)', () => {
    const event = file('e', 'c', 'Apéro', { kind: 'event', service: 'calendar' });
    const { rerender } = render(
      <DetailsPane node={event} selectedCount={1} location="Calendar / Arbeit / Apéro" labels={en} locale="en" />,
    );
    expect(facts().Location).toBe('Calendar / Arbeit / Apéro');
    const locked = file('l', 'p', 'Locked.docx', {
      state: { kind: 'locked', reason: 'Being edited by Anna' },
      details: { path: '/Locked.docx', status: 'locked' },
    });
    rerender(
      <DetailsPane node={locked} selectedCount={1} location="kDrive / X / Locked.docx" labels={en} locale="en" />,
    );
    const terms = screen.getAllByRole('term').map((t) => t.textContent);
    expect(terms.filter((t) => t === 'Status')).toHaveLength(1);
    // It has a path in kDrive: that is where it is, no second form.
    expect(terms).not.toContain('Location');
    expect(facts()['Path in kDrive']).toBe('/Locked.docx');
  });

  it('translates, formats a drive quota and shows the state', () => {
    const drive = folder('d', null, 'Team', {
      kind: 'drive',
      size: 1_000,
      details: { quota: '1500000000/15000000000' },
      state: { kind: 'maintenance', reason: 'Moving data centre' },
    });
    render(<DetailsPane node={drive} selectedCount={1} labels={de} locale="de" />);
    expect(facts()).toMatchObject({
      Typ: 'Laufwerk',
      Grösse: '1 kB',
      Belegt: '1.5 GB / 15 GB',
      // Main's reasons are English: German shows the translated state only.
      Status: 'In Wartung',
    });
  });

  it('leaves the size of a folder out', () => {
    render(<DetailsPane node={folder('x', null, 'Docs', { size: 5 })} selectedCount={1} labels={en} locale="en" />);
    expect(facts().Size).toBeUndefined();
  });

  it('says how many are selected, or that nothing is', () => {
    const { rerender } = render(<DetailsPane node={null} selectedCount={3} labels={en} locale="en" />);
    expect(screen.getByText('3 items selected')).toBeTruthy();
    rerender(<DetailsPane node={null} selectedCount={0} labels={en} locale="en" headingLevel={3} />);
    expect(screen.getByText(en.details.noSelection)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Details' })).toBeTruthy();
  });
});
