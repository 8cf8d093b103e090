// Functions of the memory-type world that are known to be functions even when neither the
// series nor the base tree shows their declaration (hunk-only mode). Used by
// uncalled-predicate; names only, no era: a name that is a function in one release is never
// a variable in another. Sources: include/linux/memremap.h, mm.h, mmzone.h, pgtable.h,
// swapops.h of v4.14 .. v6.1, and the 2017 device-public thread (seeds/004).
export const MEMORY_PREDICATES: readonly string[] = [
  // page level
  'is_zone_device_page', 'is_device_private_page', 'is_device_public_page', 'is_device_coherent_page',
  'is_pci_p2pdma_page', 'is_fsdax_page', 'is_device_page', 'is_longterm_pinnable_page',
  'is_zero_page', 'is_huge_zero_page', 'is_zone_movable_page', 'is_migrate_cma_page',
  // folio level
  'folio_is_zone_device', 'folio_is_device_private', 'folio_is_device_coherent', 'folio_is_pci_p2pdma',
  'folio_is_fsdax', 'folio_is_longterm_pinnable', 'folio_is_zone_movable',
  // page-table level
  'pte_devmap', 'pmd_devmap', 'pud_devmap', 'pte_special', 'pmd_trans_huge', 'pud_trans_huge',
  'pte_present', 'pmd_present', 'pte_none', 'pmd_none',
  // swap entries
  'is_device_private_entry', 'is_writable_device_private_entry', 'is_device_exclusive_entry',
  'is_migration_entry', 'is_writable_migration_entry', 'non_swap_entry',
  // pfn_t
  'pfn_t_devmap', 'pfn_t_has_page', 'pfn_t_special',
];
