"""Money owed and earned: invoices from order lines, FIFO settlement, ageing, dunning and commission rules."""
