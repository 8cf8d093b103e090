// Lists for the files ZONE_DEVICE series touch, for when no kernel tree is at hand.
// Each entry was checked against MAINTAINERS of 6.1 except where `note` says otherwise.
import { listAddresses } from './history.js';
import type { ListDemand } from './index.js';

export interface FallbackEntry {
  /** Path prefixes (ending in `/`) or exact paths. */
  paths: string[];
  list: string;
  section: string;
  note?: string;
}

export const FALLBACK: readonly FallbackEntry[] = [
  {
    paths: [
      'mm/',
      'include/linux/mm.h',
      'include/linux/mmzone.h',
      'include/linux/gfp.h',
      'include/linux/gfp_types.h',
      'include/linux/memory_hotplug.h',
      'include/linux/pagewalk.h',
      'include/linux/vmalloc.h',
      'include/linux/hmm.h',
      'drivers/base/memory.c',
    ],
    list: 'linux-mm@kvack.org',
    section: 'MEMORY MANAGEMENT',
  },
  {
    paths: ['include/linux/memremap.h', 'include/linux/mm_types.h'],
    list: 'linux-mm@kvack.org',
    section: 'MEMORY MANAGEMENT',
    note: 'memremap.h and mm_types.h have no F: line in 6.1; ZONE_DEVICE changes to them are reviewed on linux-mm',
  },
  // The nvdimm list's older address (lists.01.org) is accepted through history.ts's table of moves.
  {
    paths: ['drivers/nvdimm/', 'include/linux/libnvdimm.h', 'include/linux/nd.h'],
    list: 'nvdimm@lists.linux.dev',
    section: 'LIBNVDIMM',
  },
  { paths: ['drivers/dax/'], list: 'nvdimm@lists.linux.dev', section: 'DEVICE DIRECT ACCESS (DAX)' },
  {
    paths: ['fs/dax.c', 'include/linux/dax.h'],
    list: 'nvdimm@lists.linux.dev',
    section: 'FILESYSTEM DIRECT ACCESS (DAX)',
  },
  {
    paths: ['fs/dax.c', 'include/linux/dax.h'],
    list: 'linux-fsdevel@vger.kernel.org',
    section: 'FILESYSTEM DIRECT ACCESS (DAX)',
  },
  {
    paths: ['drivers/pci/p2pdma.c', 'include/linux/pci-p2pdma.h'],
    list: 'linux-pci@vger.kernel.org',
    section: 'PCI PEER-TO-PEER DMA (P2PDMA)',
  },
  { paths: ['arch/powerpc/'], list: 'linuxppc-dev@lists.ozlabs.org', section: 'LINUX FOR POWERPC (32-BIT AND 64-BIT)' },
  {
    paths: ['arch/arm64/'],
    list: 'linux-arm-kernel@lists.infradead.org',
    section: 'ARM64 PORT (AARCH64 ARCHITECTURE)',
  },
  { paths: ['arch/riscv/'], list: 'linux-riscv@lists.infradead.org', section: 'RISC-V ARCHITECTURE' },
  { paths: ['arch/loongarch/'], list: 'loongarch@lists.linux.dev', section: 'LOONGARCH' },
  { paths: ['arch/sh/'], list: 'linux-sh@vger.kernel.org', section: 'SUPERH' },
  { paths: ['arch/ia64/'], list: 'linux-ia64@vger.kernel.org', section: 'IA64 (Itanium) PLATFORM' },
];

export function fallbackListsFor(path: string): ListDemand[] {
  const out: ListDemand[] = [];
  for (const e of FALLBACK) {
    if (!e.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p))) continue;
    if (!out.some((d) => d.list === e.list))
      out.push({ list: e.list, accepts: listAddresses(e.list), section: e.section, file: path });
  }
  return out;
}
