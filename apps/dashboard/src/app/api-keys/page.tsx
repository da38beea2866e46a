import type { Metadata } from 'next';
import { ApiKeyList } from '../../components/ApiKeyList';

export const metadata: Metadata = { title: 'API keys' };

export default function ApiKeysPage() {
  return <ApiKeyList />;
}
