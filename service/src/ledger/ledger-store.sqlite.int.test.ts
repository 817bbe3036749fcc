import { sqliteHarness } from '../testing/ledger-harness.js';
import { ledgerStoreContract } from './ledger-store.contract.js';

describe('LedgerStore contract: SQLite', () => ledgerStoreContract(sqliteHarness));
