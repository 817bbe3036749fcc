import { postgresHarness } from '../../testing/ledger-harness.js';
import { ledgerStoreContract } from '../ledger-store.contract.js';

describe('LedgerStore contract: PostgreSQL', () => ledgerStoreContract(postgresHarness));
