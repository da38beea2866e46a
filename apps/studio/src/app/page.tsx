import { WorkflowList } from '../components/WorkflowList';

export default function Home() {
  return <WorkflowList />;
}
