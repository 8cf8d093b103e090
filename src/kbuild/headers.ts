// The headers of the ZONE_DEVICE API and of what its code leans on: where the names declared only
// under some configuration live (ZONE_DEVICE, DEVICE_PRIVATE, FS_DAX, PCI_P2PDMA, MEMORY_HOTPLUG,
// MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP, TRANSPARENT_HUGEPAGE, HMM ...). A header an era does not
// have (pfn_t.h after 6.17, leafops.h before 6.19) is simply absent from its tree.
export const ZONE_DEVICE_API_HEADERS: readonly string[] = [
  'include/linux/memremap.h',
  'include/linux/mmzone.h',
  'include/linux/mm.h',
  'include/linux/mm_types.h',
  'include/linux/memory_hotplug.h',
  'include/linux/memory.h',
  'include/linux/hmm.h',
  'include/linux/migrate.h',
  'include/linux/huge_mm.h',
  'include/linux/pgtable.h',
  'include/linux/pfn_t.h',
  'include/linux/ioport.h',
  'include/linux/swapops.h',
  'include/linux/leafops.h',
  'include/linux/dax.h',
  'include/linux/pci-p2pdma.h',
];
