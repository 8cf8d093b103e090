// Mailing lists change over the years, and a posting is often judged against a MAINTAINERS
// that is not the one of its day (a 2019 patch from an archive, checked with a 7.x tree). Two
// facts keep that fair: a list that moved to a new address is one list under both addresses,
// whichever of them the posting or the MAINTAINERS uses; and a list that MAINTAINERS named
// (for a section, or at all) only after the posting was sent could not have been asked of it.
// Data, each row with the public posting that made the change.

export interface ListMove {
  /** The address the list had before. */
  from: string;
  /** The address it moved to. */
  to: string;
  /** When MAINTAINERS took the new address (YYYY-MM-DD, the change's posting). */
  date: string;
  source: string;
}

export interface ListIntroduction {
  list: string;
  /** The MAINTAINERS section that named it from `since` on; null: the first section that names the list at all. */
  section: string | null;
  /**
   * No MAINTAINERS of an earlier day (YYYY-MM-DD) names it there: the day the change that names it
   * was posted, or, where that posting is not known, the release date of the last kernel whose
   * MAINTAINERS does not name it (a bound on the safe side: a posting after it is still asked).
   */
  since: string;
  source: string;
}

export const LIST_MOVES: readonly ListMove[] = [
  {
    from: 'linux-nvdimm@lists.01.org',
    to: 'nvdimm@lists.linux.dev',
    date: '2021-04-21',
    source:
      '"MAINTAINERS: Move nvdimm mailing list" (Dan Williams, linux-nvdimm, 2021-04-21, ' +
      '<161898872871.3406469.4054282559340528393.stgit@dwillia2-desk3.amr.corp.intel.com>)',
  },
  {
    from: 'iommu@lists.linux-foundation.org',
    to: 'iommu@lists.linux.dev',
    date: '2022-07-06',
    source:
      '"MAINTAINERS: Remove iommu@lists.linux-foundation.org" (Joerg Roedel, iommu, 2022-07-06, ' +
      '<20220706103331.10215-1-joro@8bytes.org>): "The IOMMU mailing list has moved to iommu@lists.linux.dev"',
  },
  {
    from: 'virtualization@lists.linux-foundation.org',
    to: 'virtualization@lists.linux.dev',
    date: '2023-11-07',
    source:
      '"MAINTAINERS: update lists.linuxfoundation.org migrated lists" (Konstantin Ryabitsev, linux-kernel, 2023-11-07, ' +
      '<20231107-lists-lf-org-move-v1-1-b19b499a93fb@linuxfoundation.org>)',
  },
];

export const LIST_INTRODUCTIONS: readonly ListIntroduction[] = [
  {
    list: 'linux-cxl@vger.kernel.org',
    section: null,
    since: '2020-12-08',
    source:
      '"[RFC PATCH 13/14] MAINTAINERS: Add maintainers of the CXL driver" (Ben Widawsky, linux-cxl, 2020-12-08, ' +
      '<20201209002418.1976362-14-ben.widawsky@intel.com>)',
  },
  {
    list: 'linux-cxl@vger.kernel.org',
    section: 'DEVICE DIRECT ACCESS (DAX)',
    since: '2023-02-10',
    source:
      '"[PATCH v2 20/20] cxl/dax: Create dax devices for CXL RAM regions" (Dan Williams, linux-cxl, 2023-02-10, ' +
      '<167602003896.1924368.10335442077318970468.stgit@dwillia2-xfh.jf.intel.com>): adds linux-cxl to drivers/dax/',
  },
  // The three below are named in linux-7.2's MAINTAINERS and not in linux-6.12's (released 2024-11-17):
  // the section that covers memremap.h, memory_hotplug.c and drivers/base/memory.c, and two new lists.
  {
    list: 'linux-cxl@vger.kernel.org',
    section: 'MEMORY HOT(UN)PLUG',
    since: '2024-11-17',
    source:
      'MAINTAINERS of linux-6.12 (2024-11-17): MEMORY HOT(UN)PLUG names linux-mm only; of linux-7.2: linux-mm and linux-cxl',
  },
  {
    list: 'driver-core@lists.linux.dev',
    section: null,
    since: '2024-11-17',
    source:
      'MAINTAINERS of linux-6.12 (2024-11-17) names no such list; that of linux-7.2 does (DRIVER CORE, drivers/base/)',
  },
  {
    list: 'fuse-devel@lists.linux.dev',
    section: null,
    since: '2024-11-17',
    source:
      'MAINTAINERS of linux-6.12 (2024-11-17) names no such list (fs/fuse/ goes to linux-fsdevel); that of linux-7.2 does',
  },
];

/** Every address of the list `address` reaches, the newest first (the address itself when it never moved). */
export function listAddresses(address: string, moves: readonly ListMove[] = LIST_MOVES): string[] {
  let newest = address.toLowerCase();
  for (let hop = 0; hop < moves.length; hop++) {
    const next = moves.find((m) => m.from === newest);
    if (!next) break;
    newest = next.to;
  }
  const out = [newest];
  for (let i = 0; i < out.length; i++)
    for (const m of moves) if (m.to === out[i] && !out.includes(m.from)) out.push(m.from);
  return out;
}

/**
 * Whether MAINTAINERS may have named `list` for `section` on `day` (YYYY-MM-DD): false when the
 * list, or its place in that section, came later. Any address of the list counts as the list.
 */
export function namedBy(
  list: string,
  section: string,
  day: string,
  intros: readonly ListIntroduction[] = LIST_INTRODUCTIONS,
): boolean {
  const addresses = listAddresses(list);
  return !intros.some(
    (i) => addresses.includes(i.list) && (i.section === null || i.section === section) && day < i.since,
  );
}
