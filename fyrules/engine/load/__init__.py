"""Loading, the first stage of a rule's life: rule files read (YAML with positions, CSV
tables), validated against their models, and layered by ``extends`` into sections."""
